/**
 * The problems Circus only meets when it builds watcher and socket objects
 * from a loaded config (spec/daemon.md 1.10). Circus skips such a watcher
 * or socket with a warning and carries on; this check finds them ahead of
 * time so `circusd --print-config` can report them and the kernel can skip
 * the same ones.
 */

import * as fs from 'fs';
import * as path from 'path';
import { CastError, toInt } from './cast';
import { buildChildEnv, envFromRecord } from './env';
import { CircusConfig, WatcherRecord } from './model';
import { resolveCallable, ResolveContext } from './module-resolver';
import { checkSocket } from './socket-check';
import { checkStream } from './stream-check';

/** Options of {@link checkConstruction}. */
export interface ConstructionOptions {
  /** The circusd process env (default `process.env`), for `copy_env` and `$NAME` expansion. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The circusd working directory (default `process.cwd()`). */
  readonly cwd?: string;
}

/** What would be skipped, and why. */
export interface ConstructionReport {
  readonly skippedWatchers: readonly string[];
  readonly skippedSockets: readonly string[];
  /** One line per reason, naming the watcher or socket. */
  readonly warnings: readonly string[];
}

/**
 * Checks every watcher and socket of `config` the way their construction
 * would. `configPath` is the main config file (hooks and stream classes
 * resolve relative to its directory). May load user CommonJS modules named
 * by hooks and stream classes, as Circus imports them.
 */
export function checkConstruction(
  config: CircusConfig,
  configPath: string,
  opts: ConstructionOptions = {},
): ConstructionReport {
  const processEnv = envFromRecord(opts.env ?? process.env);
  const cwd = opts.cwd ?? process.cwd();
  const configDir = path.resolve(cwd, path.dirname(configPath));
  const skippedWatchers: string[] = [];
  const skippedSockets: string[] = [];
  const warnings: string[] = [];

  for (const w of config.watchers) {
    const env = buildChildEnv(w.env, w.copy_env, processEnv);
    const ctx: ResolveContext = { configDir, workingDir: w.working_dir, env, cwd };
    const reasons = watcherProblems(w, ctx, cwd);
    if (reasons.length > 0) {
      skippedWatchers.push(w.name);
      for (const r of reasons) warnings.push(`Failed to create watcher '${w.name}': ${r} (the watcher will be skipped)`);
    }
    if (w.numprocesses === 0 && !w.singleton) {
      warnings.push(`Non-singleton watcher ${w.name} with numprocesses=0 won't start any process`);
    }
    if (w.umask !== undefined) {
      warnings.push(`watcher '${w.name}': umask is not a watcher option (children use the circusd umask); ignored`);
    }
  }
  for (const s of config.sockets) {
    const reasons = checkSocket(s);
    if (reasons.length > 0) {
      skippedSockets.push(s.name);
      for (const r of reasons) warnings.push(`Failed to create socket '${s.name}': ${r} (the socket will be skipped)`);
    }
  }
  return { skippedWatchers, skippedSockets, warnings };
}

function watcherProblems(w: WatcherRecord, ctx: ResolveContext, cwd: string): string[] {
  const reasons: string[] = [];
  for (const key of ['max_age', 'max_age_variance']) {
    const v = w[key];
    if (typeof v !== 'string') continue;
    try {
      toInt(v);
    } catch (err) {
      if (!(err instanceof CastError)) throw err;
      reasons.push(`${key}: ${err.message}`);
    }
  }
  if (w.singleton && w.numprocesses !== 0 && w.numprocesses !== 1) {
    reasons.push(`cannot have ${w.numprocesses} processes with a singleton watcher`);
  }
  if (w.copy_path && !w.copy_env) reasons.push('copy_path needs copy_env = true (copy_env and copy_path must have the same value)');
  const venv = w.virtualenv;
  if (typeof venv === 'string' && venv !== '') {
    if (!w.copy_env) reasons.push('copy_env must be true to use virtualenv');
    else {
      const ver = typeof w.virtualenv_py_ver === 'string' && w.virtualenv_py_ver !== '' ? w.virtualenv_py_ver : undefined;
      const site = findVirtualenvSiteDir(path.resolve(cwd, venv), ver);
      if ('missing' in site) reasons.push(`virtualenv: ${site.missing} does not exist`);
    }
  }
  reasons.push(...checkStream('stdout_stream', w.stdout_stream, ctx));
  reasons.push(...checkStream('stderr_stream', w.stderr_stream, ctx));
  for (const [name, [spec]] of Object.entries(w.hooks)) {
    const found = resolveCallable(spec, ctx);
    if (!found.ok) reasons.push(`hooks.${name}: ${found.reason}`);
  }
  return reasons;
}

/**
 * The site-packages directory of a virtualenv (2.2 step 3). With a version,
 * `lib/python<ver>` then `lib/pypy<ver>`; without one (there is no host
 * Python to ask), the lexicographically greatest `lib/python*` or `lib/pypy*`
 * directory holding `site-packages`.
 */
export function findVirtualenvSiteDir(venv: string, pyVer?: string): { siteDir: string } | { missing: string } {
  const lib = path.join(venv, 'lib');
  const candidates = pyVer
    ? [`python${pyVer}`, `pypy${pyVer}`]
    : listDir(lib)
        .filter((n) => /^(python|pypy)/.test(n))
        .sort()
        .reverse();
  for (const dir of candidates) {
    const site = path.join(lib, dir, 'site-packages');
    if (isDir(site)) return { siteDir: site };
  }
  return { missing: path.join(lib, pyVer ? `python${pyVer}` : 'python*', 'site-packages') };
}

function listDir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
