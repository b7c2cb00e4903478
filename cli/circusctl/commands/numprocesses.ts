/** `circusctl numprocesses [<name>]` (spec/protocol.md 2.12). */
import { ArgumentError } from '../../../kernel/index';
import { type CtlCommand, consoleError, makeDoc } from '../command';
import { pyStr } from '../../../config/python';

export const numprocessesCommand: CtlCommand = {
  name: 'numprocesses',
  summary: 'Get the number of processes',
  doc: makeDoc(
    'Get the number of processes',
    `
Counts the processes of a watcher, or of every watcher.

ZMQ message: {"command": "numprocesses", "properties": {"name": "<name>"}}
("name" is optional). The reply holds "numprocesses".

Command line:

    $ circusctl numprocesses [<name>]`,
  ),
  switches: [],
  channel: 'dealer',
  message(args) {
    if (args.length > 1) throw new ArgumentError('message invalid');
    return args.length === 1 ? { name: args[0] } : {};
  },
  render(reply) {
    return reply.status === 'ok' ? pyStr(reply.numprocesses) : consoleError(reply);
  },
};
