/** `circusctl options <name>` (spec/protocol.md 2.14). */
import { ArgumentError } from '../../../kernel/index';
import { type CtlCommand, consoleError, field, makeDoc, optionLines } from '../command';

export const optionsCommand: CtlCommand = {
  name: 'options',
  summary: 'Get the value of all options for a watcher',
  doc: makeDoc(
    'Get the value of all options for a watcher',
    `
Shows every option of a watcher, sorted by name.

ZMQ message: {"command": "options", "properties": {"name": "<name>"}}.
The reply holds "options".

Command line:

    $ circusctl options <name>

- <name>: name of the watcher`,
  ),
  switches: [],
  channel: 'dealer',
  message(args) {
    if (args.length < 1) throw new ArgumentError('number of arguments invalid');
    return { name: args[0] };
  },
  render(reply) {
    return field(reply, 'status') === 'ok' ? optionLines(reply) : consoleError(reply);
  },
};
