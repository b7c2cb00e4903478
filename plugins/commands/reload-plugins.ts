/**
 * The plugin part of reloadconfig (spec/daemon.md 7.4.3 step 6, test
 * 8.8 #84): a `[plugin:NAME]` section added is started, one removed is
 * stopped, and one whose section changed in any way is re-created (the
 * old plugin stopped, a new one built from the new section and started).
 * Every new section is resolved and validated before anything changes.
 */
import { ArgumentError, errorMessage, PluginUnit, type Arbiter, type CircusConfig } from '../../kernel';

/** What reloadconfig does to the plugins. */
export interface PluginReloadPlan {
  readonly remove: readonly PluginUnit[];
  /** New facades, built (not started); `replaces` is the one they take over from. */
  readonly add: readonly { unit: PluginUnit; replaces: PluginUnit | null }[];
}

/** The `[plugin:NAME]` facades currently registered (core facades such as `circusd-stats` are not the file's to change). */
export function pluginUnits(arbiter: Arbiter): PluginUnit[] {
  return arbiter.units.filter((u): u is PluginUnit => u instanceof PluginUnit && u.name.toLowerCase().startsWith('plugin:'));
}

/** Compares each facade's section with the new file's; throws ArgumentError (nothing changed) when a new section is unusable. */
export function planPluginReload(arbiter: Arbiter, next: CircusConfig): PluginReloadPlan {
  const current = new Map(pluginUnits(arbiter).map((u) => [u.name.toLowerCase(), u]));
  const wanted = new Map(next.plugins.map((r) => [r.name.toLowerCase(), r]));
  const remove = [...current.values()].filter((u) => !wanted.has(u.name.toLowerCase()));
  const build = [...wanted.entries()]
    .filter(([key, record]) => {
      const unit = current.get(key);
      return !unit || JSON.stringify(unit.prepared.record) !== JSON.stringify(record);
    })
    .map(([key, record]) => ({ record, replaces: current.get(key) ?? null }));
  let prepared;
  try {
    prepared = arbiter.plugins.prepareSections(build.map((b) => b.record));
  } catch (err) {
    throw new ArgumentError(`reloadconfig: ${errorMessage(err)}`);
  }
  return { remove, add: prepared.map((p, i) => ({ unit: arbiter.plugins.createUnit(p), replaces: build[i].replaces })) };
}

/** Applies the plan: removed plugins stopped, changed ones stopped and replaced, new ones started by priority. */
export async function applyPluginReload(arbiter: Arbiter, plan: PluginReloadPlan): Promise<void> {
  for (const unit of plan.remove) await arbiter.detachFacade(unit);
  for (const { unit, replaces } of plan.add) {
    if (replaces) await arbiter.detachFacade(replaces);
    arbiter.adoptFacade(unit);
  }
  await arbiter.startWatchers(plan.add.map((a) => a.unit));
}
