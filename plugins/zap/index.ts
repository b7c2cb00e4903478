/** The ZAP handler core plugin (CURVE authentication of circusd's endpoints). */
export { ZapError } from './errors';
export { decideZap, ZAP_ENDPOINT, ZapDecision, ZapHandler } from './zap-handler';
export { loadServerKeys, ZapAuditEvent, ZapPlugin } from './zap-plugin';
export { z85Encode } from '../../protocol/z85';
