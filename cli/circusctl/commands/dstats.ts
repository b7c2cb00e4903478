/** `circusctl dstats` (spec/protocol.md 2.3). */
import { ArgumentError } from '../../../kernel/index';
import { type CtlCommand, consoleError, field, makeDoc } from '../command';
import { infoLine } from './info-line';

export const dstatsCommand: CtlCommand = {
  name: 'dstats',
  summary: 'Get circusd stats',
  doc: makeDoc(
    'Get circusd stats',
    `
Shows the process information of circusd itself.

ZMQ message: {"command": "dstats"}. The reply holds "info": pid, cmdline,
username, nice, mem_info1, mem_info2, cpu, mem, ctime, create_time, age, children.

Command line:

    $ circusctl dstats`,
  ),
  switches: [],
  channel: 'dealer',
  message(args) {
    if (args.length > 0) throw new ArgumentError('Invalid message');
    return {};
  },
  render(reply) {
    if (field(reply, 'status') !== 'ok') return consoleError(reply);
    const info = { ...(field(reply, 'info') as Record<string, unknown>) };
    const children = (info.children ?? []) as Record<string, unknown>[];
    const lines = ['Main Process:', `    ${infoLine(info)}`];
    if (children.length > 0) {
      lines.push('Children:');
      for (const child of children) lines.push(`    ${infoLine(child)}`);
    }
    return lines.join('\n');
  },
};
