/** `circusctl stats [--extended] [<watcher>] [<pid>]` (spec/protocol.md 2.23). */
import { ArgumentError } from '../../../kernel/index';
import { type CtlCommand, consoleError, field, makeDoc, pyInt } from '../command';
import { pyStr } from '../../../config/python';
import { infoLine } from './info-line';

function toStr(info: unknown): string {
  if (info === null || typeof info !== 'object' || Array.isArray(info)) return pyStr(info);
  const children = ((info as Record<string, unknown>).children ?? []) as Record<string, unknown>[];
  return [infoLine(info as Record<string, unknown>), ...children.map((c) => `   ${infoLine(c)}`)].join('\n');
}

function processLines(infos: unknown): string[] {
  return Object.entries((infos ?? {}) as Record<string, unknown>).map(([pid, info]) => `${pid}: ${toStr(info)}`);
}

export const statsCommand: CtlCommand = {
  name: 'stats',
  summary: 'Get process infos',
  doc: makeDoc(
    'Get process infos',
    `
Shows process information (cpu, memory, ...) for every watcher, one watcher
or one process.

ZMQ message: {"command": "stats", "properties": {"name": "<name>", "process": <pid>,
"extended": false}} ("name" and "process" are optional).

Command line:

    $ circusctl stats [--extended] [<watchername>] [<processid>]`,
  ),
  switches: [{ name: 'extended', kind: 'flag', help: 'Include info from extended_stats hook' }],
  channel: 'dealer',
  message(args, opts) {
    if (args.length > 2) throw new ArgumentError('message invalid');
    const extended = opts.extended === true;
    if (args.length === 2) return { name: args[0], process: pyInt(args[1]), extended };
    if (args.length === 1) return { name: args[0], extended };
    return { extended };
  },
  render(reply) {
    if (field(reply, 'status') !== 'ok') return consoleError(reply);
    if ('name' in reply) return [`${pyStr(reply.name)}:`, ...processLines(reply.info)].join('\n');
    if ('infos' in reply) {
      const lines: string[] = [];
      for (const [watcher, infos] of Object.entries((reply.infos ?? {}) as Record<string, unknown>)) {
        lines.push(`${watcher}:`, ...processLines(infos));
      }
      return lines.join('\n');
    }
    return `${pyStr(field(reply, 'process'))}: ${toStr(field(reply, 'info'))}\n`;
  },
};
