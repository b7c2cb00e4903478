/**
 * The child environment of spec/daemon.md 2.2 and the bash-style `$NAME`
 * expansion of 1.6.3.
 */

const UPPER_VAR = /\$([A-Z][A-Z0-9_]*)/g;

/**
 * Replaces each `$NAME` (uppercase ASCII, longest run) by its value in
 * `processEnv`; unset names become ''. `$path`, `${PATH}` and `$1` stay.
 */
export function expandUpperVars(value: string, processEnv: Readonly<Record<string, string | undefined>>): string {
  return value.replace(UPPER_VAR, (_whole, name: string) => processEnv[name] ?? '');
}

/**
 * Builds a watcher's environment: the circusd env when `copyEnv` (quirk Q10:
 * inherited values are expanded and trimmed too), overlaid with the config
 * env; every value expanded against the circusd env; keys and values trimmed.
 */
export function buildWatcherEnv(
  configEnv: Readonly<Record<string, string>>,
  copyEnv: boolean,
  processEnv: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const start: Record<string, string> = {};
  if (copyEnv) {
    for (const [k, v] of Object.entries(processEnv)) if (v !== undefined) start[k] = v;
  }
  Object.assign(start, configEnv);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(start)) {
    out[k.trim()] = expandUpperVars(String(v), processEnv).trim();
  }
  return out;
}
