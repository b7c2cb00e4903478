import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadResolvedExport, resolveModuleSpec } from '../../config/module-resolver';
import { ConstructionError, errorMessage } from '../errors';
import { HookFunction, HookSpec, ResolvedHook } from './hook-types';

/**
 * Hooks whose failure never stops the operation (spec/daemon.md 5.1); a
 * hook configured with the flag `true` joins them. The flag cannot take a
 * hook out of this set, as in Circus.
 */
export const DEFAULT_IGNORE_FAILURE: ReadonlySet<string> = new Set([
  'before_stop',
  'after_stop',
  'before_signal',
  'after_signal',
  'extended_stats',
]);

/** Where relative and dotted specs are looked up (spec 5.3). */
export interface HookLocation {
  /** Directory of the main config file (circusd's cwd when there is none). */
  readonly configDir: string;
  /** circusd's working directory. */
  readonly cwd: string;
}

/** The watcher facts a lookup reads. */
export interface HookWatcherFacts {
  readonly working_dir: string | null;
  readonly env: Readonly<Record<string, string>>;
}

/**
 * TypeScript compiles `import()` to `require()` under CommonJS, and
 * require cannot load every ES module (top-level await), so the real
 * dynamic import is reached through a function built at run time.
 */
// eslint-disable-next-line @typescript-eslint/no-implied-eval
const importModule = new Function('url', 'return import(url)') as (url: string) => Promise<Record<string, unknown>>;

function follow(value: unknown, exportPath: readonly string[], file: string): unknown {
  let v = value;
  for (const key of exportPath) {
    if (v === null || (typeof v !== 'object' && typeof v !== 'function') || !(key in (v as object))) {
      throw new Error(`${file} has no export '${exportPath.join('.')}'`);
    }
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

function asFunction(value: unknown, what: string): HookFunction {
  if (typeof value !== 'function') throw new Error(`${what} is not a function`);
  return value as HookFunction;
}

/**
 * Turns `hooks.*` entries into callable hooks, with the module lookup of
 * config/module-resolver.ts (the same one the construction check uses, so
 * both agree on what resolves).
 */
export class HookResolver {
  constructor(private readonly where: HookLocation) {}

  /**
   * Resolves one hook now: CommonJS modules are loaded, so a module that is
   * missing, throws while loading, lacks the export or exports something
   * else than a function fails here. Throws ConstructionError naming the
   * watcher, the hook, the spec and the places searched.
   */
  resolve(watcher: string, name: string, spec: HookSpec, facts: HookWatcherFacts): ResolvedHook {
    if (typeof spec === 'function') return this.fromFunction(name, spec, false);
    const [target, flag] = spec;
    const ignoreFailure = DEFAULT_IGNORE_FAILURE.has(name) || flag === true;
    if (typeof target === 'function') return this.fromFunction(name, target, ignoreFailure);
    const text = String(target);
    const fail = (reason: string): never => {
      throw new ConstructionError(watcher, `hooks.${name} = '${text}': ${reason}`);
    };
    const found = resolveModuleSpec(text, {
      configDir: this.where.configDir,
      workingDir: facts.working_dir,
      env: new Map(Object.entries(facts.env)),
      cwd: this.where.cwd,
    });
    if (!found.ok) return fail(found.reason);
    const loaded = loadResolvedExport(found);
    if (!loaded.ok) return fail(loaded.reason);
    const what = found.exportPath.length > 0 ? `export '${found.exportPath.join('.')}' of ${found.file}` : found.file;
    if (loaded.checked) {
      if (typeof loaded.value !== 'function') fail(`${what} is not a function`);
      const fn = loaded.value as HookFunction;
      return { name, spec: text, ignoreFailure, load: () => Promise.resolve(fn) };
    }
    // An ES module: Node 20 cannot always load it synchronously, so it is
    // imported on first use; a failure then counts as a hook failure.
    let pending: Promise<HookFunction> | null = null;
    const file = found.file;
    return {
      name,
      spec: text,
      ignoreFailure,
      load: () => {
        pending ??= importModule(pathToFileURL(file).href).then((mod) => asFunction(follow(mod, found.exportPath, file), what));
        return pending;
      },
    };
  }

  /**
   * Like {@link resolve}, for a spec changed at runtime (`set hooks.NAME`):
   * never throws; a spec that does not resolve fails when the hook runs.
   */
  resolveLate(watcher: string, name: string, spec: HookSpec, facts: HookWatcherFacts): ResolvedHook {
    try {
      return this.resolve(watcher, name, spec, facts);
    } catch (err) {
      const flag = Array.isArray(spec) && spec[1] === true;
      const rejection = Promise.reject(err instanceof Error ? err : new Error(errorMessage(err)));
      // Handled by whoever runs the hook; this only keeps Node from reporting it early.
      rejection.catch(() => undefined);
      return {
        name,
        spec: typeof spec === 'function' ? describe(spec) : String(spec[0]),
        ignoreFailure: DEFAULT_IGNORE_FAILURE.has(name) || flag,
        load: () => rejection,
      };
    }
  }

  private fromFunction(name: string, fn: HookFunction, flag: boolean): ResolvedHook {
    return { name, spec: describe(fn), ignoreFailure: DEFAULT_IGNORE_FAILURE.has(name) || flag, load: () => Promise.resolve(fn) };
  }
}

function describe(fn: unknown): string {
  const n = typeof fn === 'function' ? fn.name : '';
  return `<function ${n || 'anonymous'}>`;
}

/** The lookup location of an arbiter: the config file's directory, else the cwd. */
export function hookLocation(configPath: string | null | undefined, cwd: string): HookLocation {
  return { configDir: configPath ? path.dirname(path.resolve(cwd, configPath)) : cwd, cwd };
}
