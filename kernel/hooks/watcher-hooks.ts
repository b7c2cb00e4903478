import { HookResolver, HookWatcherFacts } from './hook-resolver';
import { HookSpec, ResolvedHook } from './hook-types';

/** The live `hooks` option of a watcher and the facts its lookup reads. */
export interface HookSource extends HookWatcherFacts {
  readonly name: string;
  readonly hooks: Readonly<Record<string, HookSpec>>;
}

/**
 * The resolved hooks of one watcher. Every configured hook is resolved when
 * the watcher is built ({@link resolveAll}); a hook whose spec was changed
 * at runtime (`set hooks.NAME`) is resolved again the next time it runs.
 */
export class WatcherHooks {
  private readonly cache = new Map<string, { source: HookSpec; hook: ResolvedHook }>();

  constructor(
    private readonly source: HookSource,
    private readonly resolver: HookResolver,
  ) {}

  /**
   * Resolves every configured hook; throws ConstructionError on the first
   * that does not resolve (the watcher must then not be created).
   */
  resolveAll(): void {
    for (const [name, spec] of Object.entries(this.source.hooks)) {
      this.cache.set(name, { source: spec, hook: this.resolver.resolve(this.source.name, name, spec, this.source) });
    }
  }

  /** The hook configured under `name`, or undefined (an unconfigured hook lets everything proceed). */
  get(name: string): ResolvedHook | undefined {
    if (!Object.prototype.hasOwnProperty.call(this.source.hooks, name)) return undefined;
    const spec = this.source.hooks[name];
    const known = this.cache.get(name);
    if (known && sameSpec(known.source, spec)) return known.hook;
    const hook = this.resolver.resolveLate(this.source.name, name, spec, this.source);
    this.cache.set(name, { source: spec, hook });
    return hook;
  }
}

function sameSpec(a: HookSpec, b: HookSpec): boolean {
  if (a === b) return true;
  return Array.isArray(a) && Array.isArray(b) && a[0] === b[0] && a[1] === b[1];
}
