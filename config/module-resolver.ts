/**
 * Resolution of user code named in a config: hook callables (spec/daemon.md
 * 5.3), custom stream classes (4.2) and anything else spelled the same way.
 * Shared by the construction check and the kernel so both agree on what
 * "resolves" means.
 *
 * Forms: `<module>:<export>` (module = path relative to the config
 * directory, absolute path, or package; export may be a dotted property
 * path) and the Python-style dotted `a.b.c` (export `c` of module `a/b`,
 * searched in the config dir, the watcher working_dir, `PYTHONPATH` and
 * `NODE_PATH` entries, the circusd cwd, then as a package; failing that,
 * `a/b/c` as a whole module, as Python's `resolve_name` falls back).
 */

import * as fs from 'fs';
import * as path from 'path';

/** Where to look for modules. */
export interface ResolveContext {
  /** Directory of the main config file. */
  readonly configDir: string;
  /** The watcher's `working_dir`, when set. */
  readonly workingDir?: string | null;
  /** The watcher env (its `PYTHONPATH` and `NODE_PATH` entries are searched). */
  readonly env?: ReadonlyMap<string, string>;
  /** The circusd working directory (default `process.cwd()`). */
  readonly cwd?: string;
}

/** A spec that names an existing module file. `exportPath` empty = the module itself. */
export interface ResolvedModule {
  readonly file: string;
  readonly exportPath: readonly string[];
}

export type ResolveOutcome =
  | ({ readonly ok: true } & ResolvedModule)
  | { readonly ok: false; readonly reason: string };

const EXTENSIONS = ['', '.js', '.cjs', '.mjs'];

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** The first existing file among `base`, `base.js`, `base.cjs`, `base.mjs`, `base/index.js`. */
function findModuleFile(base: string): string | null {
  for (const ext of EXTENSIONS) if (isFile(base + ext)) return path.resolve(base + ext);
  const index = path.join(base, 'index.js');
  return isFile(index) ? path.resolve(index) : null;
}

function nodeResolve(request: string, from: readonly string[]): string | null {
  try {
    return require.resolve(request, { paths: [...from] });
  } catch {
    return null;
  }
}

function searchDirs(ctx: ResolveContext): string[] {
  const cwd = ctx.cwd ?? process.cwd();
  const dirs = [ctx.configDir];
  if (ctx.workingDir) dirs.push(path.resolve(cwd, ctx.workingDir));
  for (const key of ['PYTHONPATH', 'NODE_PATH']) {
    const value = ctx.env?.get(key);
    if (value) dirs.push(...value.split(path.delimiter).filter((d) => d !== ''));
  }
  dirs.push(cwd);
  return [...new Set(dirs.map((d) => path.resolve(cwd, d)))];
}

/**
 * Finds the module file a spec names, without loading it. The reason of a
 * failure names the spec and the places searched.
 */
export function resolveModuleSpec(spec: string, ctx: ResolveContext): ResolveOutcome {
  const text = spec.trim();
  if (text === '') return { ok: false, reason: 'empty module specification' };
  const cwd = ctx.cwd ?? process.cwd();
  const colon = text.indexOf(':');
  if (colon !== -1) {
    const mod = text.slice(0, colon);
    const exportPath = text.slice(colon + 1).split('.').filter((s) => s !== '');
    const base = path.isAbsolute(mod) ? mod : path.resolve(ctx.configDir, mod);
    const file = findModuleFile(base) ?? (path.isAbsolute(mod) || mod.startsWith('.') ? null : nodeResolve(mod, [ctx.configDir, cwd]));
    if (file) return { ok: true, file, exportPath };
    return { ok: false, reason: `cannot find module '${mod}' (looked at ${base}[.js|.cjs|.mjs|/index.js] and Node packages)` };
  }
  if (text.includes('/')) {
    const file = findModuleFile(path.resolve(ctx.configDir, text));
    return file ? { ok: true, file, exportPath: [] } : { ok: false, reason: `cannot find module '${text}'` };
  }
  const parts = text.split('.');
  const dirs = searchDirs(ctx);
  const attempts: Array<[string, string[]]> = [];
  if (parts.length > 1) attempts.push([parts.slice(0, -1).join('/'), [parts[parts.length - 1]]]);
  attempts.push([parts.join('/'), []]);
  for (const [mod, exportPath] of attempts) {
    for (const dir of dirs) {
      const file = findModuleFile(path.join(dir, mod));
      if (file) return { ok: true, file, exportPath };
    }
    const file = nodeResolve(mod, [ctx.configDir, cwd]);
    if (file) return { ok: true, file, exportPath };
  }
  return {
    ok: false,
    reason: `cannot resolve '${text}': no module ${attempts.map(([m]) => `'${m}'`).join(' or ')} in ${dirs.join(', ')} or Node packages`,
  };
}

/** Outcome of loading what a resolved spec names. `checked` is false when the module is ESM and was not loaded. */
export type LoadOutcome =
  | { readonly ok: true; readonly checked: boolean; readonly value?: unknown }
  | { readonly ok: false; readonly reason: string };

/**
 * Loads a CommonJS module and follows the export path. ES modules cannot be
 * loaded synchronously on Node 20, so they are accepted unchecked (the
 * kernel imports them when it creates the watcher).
 */
export function loadResolvedExport(resolved: ResolvedModule): LoadOutcome {
  if (resolved.file.endsWith('.mjs')) return { ok: true, checked: false };
  let value: unknown;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    value = require(resolved.file);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ERR_REQUIRE_ESM') return { ok: true, checked: false };
    return { ok: false, reason: `loading ${resolved.file} failed: ${e.message.split('\n')[0]}` };
  }
  for (const name of resolved.exportPath) {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function') || !(name in (value as object))) {
      return { ok: false, reason: `${resolved.file} has no export '${resolved.exportPath.join('.')}'` };
    }
    value = (value as Record<string, unknown>)[name];
  }
  return { ok: true, checked: true, value };
}

/** Resolves and loads a spec that must name a function (hook) or a class (stream). */
export function resolveCallable(spec: string, ctx: ResolveContext): { ok: true } | { ok: false; reason: string } {
  const found = resolveModuleSpec(spec, ctx);
  if (!found.ok) return found;
  const loaded = loadResolvedExport(found);
  if (!loaded.ok) return loaded;
  if (loaded.checked && typeof loaded.value !== 'function') {
    const what = found.exportPath.length ? `export '${found.exportPath.join('.')}' of ${found.file}` : found.file;
    return { ok: false, reason: `${what} is not a function or class` };
  }
  return { ok: true };
}
