/** `circusctl list [<name>]` (spec/protocol.md 2.9). */
import { ArgumentError } from '../../../kernel/index';
import { type CtlCommand, consoleError, makeDoc } from '../command';
import { pyStr } from '../../../config/python';

export const listCommand: CtlCommand = {
  name: 'list',
  summary: 'Get list of watchers or processes in a watcher',
  doc: makeDoc(
    'Get list of watchers or processes in a watcher',
    `
Lists the watchers, or the pids of the live processes of one watcher.

ZMQ message: {"command": "list"} or {"command": "list", "properties": {"name": "<name>"}}.
The reply holds "watchers" or "pids".

Command line:

    $ circusctl list [<name>]`,
  ),
  switches: [],
  channel: 'dealer',
  message(args) {
    if (args.length > 1) throw new ArgumentError('Invalid number of arguments');
    return args.length === 1 ? { name: args[0] } : {};
  },
  render(reply) {
    if ('pids' in reply) return ((reply.pids ?? []) as unknown[]).map((p) => pyStr(p)).join(',');
    if ('watchers' in reply) return ((reply.watchers ?? []) as unknown[]).map((w) => pyStr(w)).join(',');
    const reason = 'reason' in reply ? reply.reason : "Response doesn't contain 'pids' nor 'watchers'.";
    return consoleError({ ...reply, reason });
  },
};
