import { answered, ArgumentError, type CommandDefinition, type Watcher, pyRepr, pyStrRepr } from '../../kernel';
import type { CommandDeps } from './deps';
import { NO_SUCH_PROCESS, type ProcessInfo } from './process-info';
import { has, truthy, watcherOf } from './props';

type Info = ProcessInfo | string;

/** The info of one watcher process: age since spawn, `started`, `wid`, and its direct children. */
async function processInfo(d: CommandDeps, w: Watcher, pid: number, extended: boolean): Promise<Info> {
  const p = w.processes.find((x) => x.pid === pid);
  const info = await d.processInfo.info(pid);
  if (!p || typeof info === 'string') return NO_SUCH_PROCESS;
  const now = Date.now() / 1000;
  info.age = Math.max(0, now - p.started);
  info.started = p.started;
  info.wid = p.wid;
  const children = await d.tree.children(pid);
  info.children = await Promise.all(children.map((c) => d.processInfo.info(c.pid)));
  if (extended) await w.extendedStats(pid, info as unknown as Record<string, unknown>);
  return info;
}

async function watcherInfo(d: CommandDeps, w: Watcher, extended: boolean): Promise<Record<string, Info>> {
  const out: Record<string, Info> = {};
  const pids = w.processes.map((p) => p.pid);
  const infos = await Promise.all(pids.map((pid) => processInfo(d, w, pid, extended)));
  pids.forEach((pid, i) => (out[String(pid)] = infos[i]));
  return out;
}

/**
 * `stats` (spec 2.23): per-process info of every watcher, of one, or of
 * one process (`process` as a pid or numeric string, echoed as sent).
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
        d.processInfo.retain(d.arbiter.watchers.flatMap((w) => w.pids));
        return answered({ infos });
      }
      const w = watcherOf(d.arbiter, props);
      if (has(props, 'process')) {
        const wanted = props.process;
        const pid = typeof wanted === 'number' ? wanted : typeof wanted === 'string' && /^\d+$/.test(wanted) ? Number(wanted) : NaN;
        if (!w.pids.includes(pid)) throw new ArgumentError(`process ${pyRepr(wanted)} not found in ${pyStrRepr(String(props.name))}`);
        return answered({ process: wanted, info: await processInfo(d, w, pid, extended) });
      }
      return answered({ name: props.name, info: await watcherInfo(d, w, extended) });
    },
  };
}
