import { CircusError } from '../../kernel/index';

/**
 * The audit file named by `[circus] audit_log` cannot be opened for
 * appending (missing directory, permissions). circusd then fails to start:
 * an audit that silently goes nowhere is worse than none.
 */
export class AuditLogError extends CircusError {
  readonly code = 'E_AUDIT_LOG';
}
