import { ArgumentError, errorMessage, started, type CircusConfig, type CommandDefinition } from '../../kernel';
import type { CommandDeps } from './deps';
import { planReload, type ReloadPlan } from './reload-plan';
import { applyPluginReload, planPluginReload, type PluginReloadPlan } from './reload-plugins';

async function apply(d: CommandDeps, plan: ReloadPlan, plugins: PluginReloadPlan | null, next: CircusConfig): Promise<Record<string, never>> {
  const a = d.arbiter;
  if (plan.restartAll) {
    // Quirk Q34: the new [circus] values are not applied (endpoints are bound);
    // only they are remembered, so the next reloadconfig diffs watchers again.
    await a.stopWatchers(a.units);
    await a.startWatchers(a.units);
    d.applied.config = { ...next, watchers: d.applied.config.watchers, sockets: d.applied.config.sockets, plugins: d.applied.config.plugins };
    return {};
  }
  for (const name of plan.removeSockets) a.sockets.remove(name);
  for (const record of plan.addSockets) await a.sockets.add(record);
  for (const { watcher, numprocesses } of plan.resize) await watcher.setNumprocesses(numprocesses);
  for (const w of plan.remove) await a.detachWatcher(w, { silent: true });
  for (const { watcher, replaces } of plan.add) {
    if (replaces) await a.detachWatcher(replaces, { silent: true });
    a.adoptWatcher(watcher, { silent: true });
    await a.startWatchers([watcher]);
  }
  if (plugins) await applyPluginReload(a, plugins);
  d.applied.config = next;
  return {};
}

/**
 * `reloadconfig` (spec 2.17, daemon 7.4.3): re-reads the file circusd was
 * started with. The new file is loaded and the whole change checked (and
 * new watchers built) before anything is touched: a bad file answers
 * errno 3 naming the file, section and key, and changes nothing. Then, in
 * the background under `arbiter_reload_config`: sockets re-bound, watchers
 * resized, removed, replaced and added (no add/remove events, as Circus),
 * then `[plugin:NAME]` sections stopped, re-created or started.
 */
export function reloadconfigCommand(d: CommandDeps): CommandDefinition {
  return {
    name: 'reloadconfig',
    properties: [],
    execute: async () => {
      const source = d.configSource;
      if (!source) throw new ArgumentError('reloadconfig: this arbiter was built without a configuration file');
      const release = d.lock.acquire('arbiter_reload_config');
      try {
        let next: CircusConfig;
        try {
          next = source.load();
        } catch (err) {
          const text = errorMessage(err);
          throw new ArgumentError(text.includes(source.path) ? text : `${source.path}: ${text}`);
        }
        const plan = planReload(d.arbiter, d.applied.config, next);
        const plugins = plan.restartAll ? null : planPluginReload(d.arbiter, next);
        return started(apply(d, plan, plugins, next).finally(release));
      } catch (err) {
        release();
        throw err;
      }
    },
  };
}
