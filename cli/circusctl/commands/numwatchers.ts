/** `circusctl numwatchers` (spec/protocol.md 2.13). */
import { ArgumentError } from '../../../kernel/index';
import { type CtlCommand, consoleError, makeDoc } from '../command';
import { pyStr } from '../../../config/python';

export const numwatchersCommand: CtlCommand = {
  name: 'numwatchers',
  summary: 'Get the number of watchers',
  doc: makeDoc(
    'Get the number of watchers',
    `
Counts the watchers of the arbiter.

ZMQ message: {"command": "numwatchers"}. The reply holds "numwatchers".

Command line:

    $ circusctl numwatchers`,
  ),
  switches: [],
  channel: 'dealer',
  message(args) {
    if (args.length > 0) throw new ArgumentError('Invalid number of arguments');
    return {};
  },
  render(reply) {
    return reply.status === 'ok' ? pyStr(reply.numwatchers) : consoleError(reply);
  },
};
