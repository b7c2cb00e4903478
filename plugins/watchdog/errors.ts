import { CircusError } from '../../kernel/index';

/**
 * An option of the watchdog plugin cannot be used (a pattern that does not
 * compile, an unknown signal). Thrown by start(), so the plugin host
 * reports the plugin by name and the reason.
 */
export class WatchdogOptionError extends CircusError {
  readonly code = 'E_WATCHDOG_OPTION';
  constructor(readonly option: string, detail: string) {
    super(`${option}: ${detail}`);
  }
}
