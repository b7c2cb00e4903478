/**
 * circusd's OS signal handling (spec/daemon.md 7.3). Only cli/ touches
 * `process.on`, so several kernels can share one test process.
 */
import type { Logger } from '../../kernel/index';

/** What a signal asks circusd to do. */
export interface SignalActions {
  /** SIGTERM, SIGINT, SIGQUIT: graceful quit. */
  stop(): void;
  /** SIGHUP: graceful reload of every watcher (the config is not re-read, quirk Q33). */
  reload(): void;
}

const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGQUIT'];
/**
 * Only logged. SIGUSR1 must have a handler: without one Node opens its
 * inspector on it, which would let any local user who can signal circusd run
 * code inside it (Circus simply dies on SIGUSR1/SIGUSR2, orphaning its
 * children; we keep running instead).
 */
const LOGGED_SIGNALS: readonly NodeJS.Signals[] = ['SIGWINCH', 'SIGUSR1', 'SIGUSR2'];
const ALL_SIGNALS: readonly NodeJS.Signals[] = [...STOP_SIGNALS, 'SIGHUP', ...LOGGED_SIGNALS];

/** Circus's spelling of a signal in its log line: `SIGTERM` -> `SIG_TERM`. */
export function circusSignalName(signal: NodeJS.Signals): string {
  return `SIG_${signal.slice(3)}`;
}

/**
 * Installs the handlers: each signal is logged (`Got signal SIG_TERM`) then
 * dispatched; SIGWINCH, SIGUSR1 and SIGUSR2 are only logged. Returns the function that removes them.
 */
export function installSignalHandlers(logger: Logger, actions: SignalActions): () => void {
  const installed: Array<[NodeJS.Signals, () => void]> = [];
  for (const signal of ALL_SIGNALS) {
    const handler = (): void => {
      logger.info(`Got signal ${circusSignalName(signal)}`);
      if (STOP_SIGNALS.includes(signal)) actions.stop();
      else if (signal === 'SIGHUP') actions.reload();
    };
    process.on(signal, handler);
    installed.push([signal, handler]);
  }
  return () => {
    for (const [signal, handler] of installed) process.removeListener(signal, handler);
  };
}
