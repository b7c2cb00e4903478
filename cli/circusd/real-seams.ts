/** Binds circusd's seams to the real config loader (config/) and kernel (kernel/). */
import { checkConstruction, ConfigError, formatConfig, loadConfig } from '../../config/index';
import { createArbiter, type Arbiter } from '../../kernel/index';
import type { ArbiterHandle, CircusdSeams } from './seams';
import { pluginResolver, registerCorePlugins } from './core-plugins';

/** How long an emergency stop may take before circusd exits anyway. */
const EMERGENCY_STOP_LIMIT_MS = 10_000;

function handle(arbiter: Arbiter): ArbiterHandle {
  return {
    start: () => arbiter.start(),
    reload: () => arbiter.reload(),
    requestStop: () => arbiter.requestStop(),
    done: arbiter.done,
    // Circus sets every graceful_timeout to 0 and stops all (spec 2.11): an
    // aborted signal makes each watcher SIGKILL at once, descendants included.
    emergencyStop: async () => {
      const cut = new AbortController();
      cut.abort();
      let timer: NodeJS.Timeout | undefined;
      const limit = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`emergency stop did not finish within ${EMERGENCY_STOP_LIMIT_MS / 1000} s`)),
          EMERGENCY_STOP_LIMIT_MS,
        );
      });
      try {
        await Promise.race([
          Promise.all(arbiter.watchers.map((w) => w.stop({ killDescendants: true, signal: cut.signal }))).then(() =>
            arbiter.stop(),
          ),
          limit,
        ]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** The seams of the installed circusd. */
export const realSeams: CircusdSeams = {
  loadConfig: (configPath) => loadConfig(configPath),
  constructionWarnings: (config, configPath) => checkConstruction(config, configPath).warnings,
  formatConfig: (config) => formatConfig(config),
  createArbiter: (options) => {
    // reloadconfig re-reads the same file through the loader; the kernel never imports it.
    const configSource = { path: options.configPath, load: () => loadConfig(options.configPath).config };
    const arbiter = createArbiter({ ...options, configSource, pluginResolver });
    registerCorePlugins(arbiter, options.config);
    return handle(arbiter);
  },
  isConfigError: (error) => error instanceof ConfigError,
};
