/** `circusd --print-config FILE`: the loaded configuration as JSON, warnings apart. */
import type { CircusConfig } from '../../config/index';
import type { CircusdSeams } from './seams';

/**
 * Loads `configPath`, writes the JSON on stdout and every warning (loader
 * and construction) on stderr, one per line. Returns the exit status (0);
 * load failures propagate as errors for the caller to report.
 */
export function printConfig(
  configPath: string,
  seams: CircusdSeams,
  io: { out(text: string): void; err(text: string): void },
  load: (path: string) => { config: CircusConfig; warnings: readonly string[] },
): number {
  const { config, warnings } = load(configPath);
  const all = [...warnings, ...seams.constructionWarnings(config, configPath)];
  for (const warning of all) io.err(`warning: ${warning}\n`);
  const json = seams.formatConfig(config);
  io.out(json.endsWith('\n') ? json : `${json}\n`);
  return 0;
}
