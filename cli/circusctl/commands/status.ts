/** `circusctl status [<name>]` (spec/protocol.md 2.24). */
import { ArgumentError } from '../../../kernel/index';
import { type CtlCommand, consoleError, makeDoc } from '../command';
import { pyStr } from '../../../config/python';

export const statusCommand: CtlCommand = {
  name: 'status',
  summary: 'Get the status of a watcher or all watchers',
  doc: makeDoc(
    'Get the status of a watcher or all watchers',
    `
Shows the state of a watcher (active, stopped, starting, stopping), or of every
watcher.

ZMQ message: {"command": "status", "properties": {"name": "<name>"}} ("name"
is optional). With a name the state is in "status"; without, "statuses" maps
each watcher to its state.

Command line:

    $ circusctl status [<name>]

Example:

    $ circusctl status web
    active
    $ circusctl status
    web: active
    worker: stopped`,
  ),
  switches: [],
  channel: 'dealer',
  message(args) {
    if (args.length > 1) throw new ArgumentError('message invalid');
    return args.length === 1 ? { name: args[0] } : {};
  },
  render(reply) {
    if ('statuses' in reply) {
      const statuses = (reply.statuses ?? {}) as Record<string, unknown>;
      // Plain code-point order, as Python's sorted().
      const names = Object.keys(statuses).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      return names.map((n) => `${n}: ${pyStr(statuses[n])}`).join('\n');
    }
    // Circus prints the status field even on an error reply: just `error`.
    if ('status' in reply) return pyStr(reply.status);
    return consoleError(reply);
  },
};
