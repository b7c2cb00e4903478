/** The audit core plugin: ZAP decisions and state-changing commands to the log and the audit file. */
export { AuditFile, AUDIT_FILE_MODE } from './audit-file';
export { commandLine, whoText, zapLine } from './audit-format';
export { AuditPlugin } from './audit-plugin';
export { AuditLogError } from './errors';
