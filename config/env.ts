/**
 * Environments while loading (spec/daemon.md 1.6.2, 1.6.3, 1.8): the process
 * env, the `[env]` section on top of it, and `$(circus.env.*)` substitution
 * against one of them.
 */

import { setOwn } from './own';
import { buildLookup, replaceWithLookup } from './substitute';

/** An environment as loaded: insertion-ordered, like Python's dict. */
export type EnvMap = Map<string, string>;

/** Copies a `process.env`-like object, dropping unset entries. */
export function envFromRecord(env: Readonly<Record<string, string | undefined>>): EnvMap {
  const out: EnvMap = new Map();
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out.set(k, v);
  return out;
}

/** A plain object from an env map (keys keep their case and order). */
export function envToRecord(env: ReadonlyMap<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of env) setOwn(out, k, v);
  return out;
}

/**
 * `$(circus.env.X)` / `((circus.env.X))` substitution against one env,
 * with the lookup table built once (keys lower-cased, 1.6.1).
 */
export class EnvSubstituter {
  private readonly table: ReadonlyMap<string, string>;

  constructor(env: ReadonlyMap<string, string>) {
    this.table = buildLookup({ env: envToRecord(env) });
  }

  apply(text: string): string {
    return replaceWithLookup(text, this.table);
  }
}

/**
 * The bash-style expansion Circus applies when a watcher is created
 * (1.6.3): `$` + the longest `[A-Z][A-Z0-9_]*` run is replaced by that
 * variable of the circusd process env (unset = empty); `$path`, `${X}`, `$1`
 * stay. The loader does NOT apply it (records keep the raw text); the
 * construction check and the kernel do.
 */
export function expandBashVars(value: string, processEnv: ReadonlyMap<string, string>): string {
  return value.replace(/\$([A-Z][A-Z0-9_]*)/g, (_m, name: string) => processEnv.get(name) ?? '');
}

/**
 * The child environment of 2.2 steps 1-2 (before virtualenv handling):
 * with `copy_env` the process env overlaid with the config env, otherwise
 * the config env alone; then every value expanded (1.6.3) and keys and
 * values trimmed.
 */
export function buildChildEnv(
  configEnv: Readonly<Record<string, string>>,
  copyEnv: boolean,
  processEnv: ReadonlyMap<string, string>,
): EnvMap {
  const merged: EnvMap = copyEnv ? new Map(processEnv) : new Map();
  for (const [k, v] of Object.entries(configEnv)) merged.set(k, v);
  const out: EnvMap = new Map();
  for (const [k, v] of merged) out.set(k.trim(), expandBashVars(v, processEnv).trim());
  return out;
}
