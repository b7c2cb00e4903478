import { answered, ArgumentError, type CommandDefinition, type ProcessInfo, type Watcher, pyRepr, pyStrRepr } from '../../kernel';
import type { CommandDeps } from './deps';
import { NO_SUCH_PROCESS } from './process-info';
import { has, truthy, watcherOf } from './props';

type Info = ProcessInfo | string;

/** Direct children's records (each with `children: []`): the sampler's /proc view, else the ProcessTree's. */
async function childInfos(d: CommandDeps, pid: number): Promise<Info[]> {
  const known = await d.processInfo.children(pid);
  const pids = known ?? (await d.tree.children(pid)).map((c) => c.pid);
  if (pids.length === 0) return [];
  const sampled = await d.processInfo.sample(pids);
  return pids.map((c) => sampled.get(c) ?? NO_SUCH_PROCESS);
}

/** Turns a sampled record into the watcher-process record: age since spawn, `started`, `wid`, direct children. */
async function processInfo(d: CommandDeps, w: Watcher, pid: number, sampled: ProcessInfo | null | undefined, extended: boolean): Promise<Info> {
  const p = w.processes.find((x) => x.pid === pid);
  if (!p || !sampled) return NO_SUCH_PROCESS;
  const info: ProcessInfo = { ...sampled };
  info.age = Math.max(0, Date.now() / 1000 - p.started);
  info.started = p.started;
  info.wid = p.wid;
  info.children = await childInfos(d, pid);
  if (extended) await w.extendedStats(pid, info as unknown as Record<string, unknown>);
  return info;
}

/** Every process of the watcher, sampled in one pass (one synchronous /proc sweep on Linux). */
async function watcherInfo(d: CommandDeps, w: Watcher, extended: boolean): Promise<Record<string, Info>> {
  const out: Record<string, Info> = {};
  const pids = w.processes.map((p) => p.pid);
  const sampled = await d.processInfo.sample(pids);
  const infos = await Promise.all(pids.map((pid) => processInfo(d, w, pid, sampled.get(pid), extended)));
  pids.forEach((pid, i) => (out[String(pid)] = infos[i]));
  return out;
}

/**
 * `stats` (spec 2.23): per-process info of every watcher, of one, or of
 * one process (`process` as a pid or numeric string, echoed as sent).
 * Answered from the shared ProcessSampler, statsd on or off.
 */
export function statsCommand(d: CommandDeps): CommandDefinition {
  return {
    name: 'stats',
    properties: [],
    execute: async (props) => {
      const extended = truthy(props.extended);
      if (!has(props, 'name')) {
        const infos: Record<string, Record<string, Info>> = {};
        for (const w of d.arbiter.watchers) infos[w.name] = await watcherInfo(d, w, false);
        // A full pass is the moment to forget the CPU baselines of pids that are gone.
        d.processInfo.retain(d.arbiter.watchers.flatMap((w) => w.pids));
        return answered({ infos });
      }
      const w = watcherOf(d.arbiter, props);
      if (has(props, 'process')) {
        const wanted = props.process;
        const pid = typeof wanted === 'number' ? wanted : typeof wanted === 'string' && /^\d+$/.test(wanted) ? Number(wanted) : NaN;
        if (!w.pids.includes(pid)) throw new ArgumentError(`process ${pyRepr(wanted)} not found in ${pyStrRepr(String(props.name))}`);
        return answered({ process: wanted, info: await processInfo(d, w, pid, await d.processInfo.info(pid), extended) });
      }
      return answered({ name: props.name, info: await watcherInfo(d, w, extended) });
    },
  };
}
