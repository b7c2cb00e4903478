import { answered, CommandError, type CommandDefinition, type ProcessRef, type Watcher } from '../../kernel';
import type { CommandDeps } from './deps';
import { has, truthy, watcherOf } from './props';
import { toPid, toSignum } from './signum';

type Proc = Watcher['processes'][number];

function findProc(w: Watcher, pid: number): Proc {
  const p = w.processes.find((x) => x.pid === pid);
  // Python's KeyError text: just the key.
  if (!p) throw new CommandError(String(pid));
  return p;
}

/**
 * `signal` (spec 2.22): synchronous, no lock, no event but hooks. Targets
 * `pid` or every process; `childpid` one direct child, `children` every
 * direct child, else the process itself (through before_signal) and with
 * `recursive` all its descendants.
 */
export function signalCommand(d: CommandDeps): CommandDefinition {
  return {
    name: 'signal',
    properties: ['name', 'signum'],
    execute: async (props) => {
      const w = watcherOf(d.arbiter, props);
      const children = truthy(props.children);
      const recursive = truthy(props.recursive);
      const childpid = has(props, 'childpid') ? props.childpid : undefined;
      if (childpid !== undefined && !has(props, 'pid')) throw new CommandError('cannot specify childpid without pid');
      const signum = toSignum(props.signum);
      const strict = children || recursive || childpid !== undefined;
      let targets: Proc[];
      if (has(props, 'pid')) {
        if (strict) targets = [findProc(w, toPid(props.pid))];
        else {
          // Circus does not coerce here: a string pid simply matches nothing.
          targets = w.processes.filter((p) => p.pid === props.pid);
          if (targets.length === 0) d.logger.info(`signal: no process ${String(props.pid)} in ${w.name}`);
        }
      } else targets = [...w.processes];
      for (const p of targets) {
        if (childpid !== undefined) {
          const wanted = toPid(childpid);
          const child = (await d.tree.children(p.pid)).find((c: ProcessRef) => c.pid === wanted);
          if (!child) throw new CommandError(String(wanted));
          await d.tree.signal(child, signum);
        } else if (children) {
          for (const c of await d.tree.children(p.pid)) await d.tree.signal(c, signum);
        } else {
          const descendants = recursive ? await d.tree.descendants(p.pid) : [];
          await w.signalProcess(p.pid, signum).catch((err: unknown) => d.logger.info(`signal: ${String(err)}`));
          for (const c of descendants) await d.tree.signal(c, signum);
        }
      }
      return answered({});
    },
  };
}
