/** `circusctl get <name> <key> [<key>...]` (spec/protocol.md 2.4). */
import { ArgumentError } from '../../../kernel/index';
import { type CtlCommand, consoleError, field, makeDoc, optionLines } from '../command';

export const getCommand: CtlCommand = {
  name: 'get',
  summary: 'Get the value of specific watcher options',
  doc: makeDoc(
    'Get the value of specific watcher options',
    `
Queries the current value of one or more options of a watcher.

ZMQ message: {"command": "get", "properties": {"name": "<name>", "keys": ["key1", "key2"]}}.
The reply holds "options", an object of the keys asked for and their values.

Command line:

    $ circusctl get <name> <key1> <key2>`,
  ),
  switches: [],
  channel: 'dealer',
  message(args) {
    if (args.length < 2) throw new ArgumentError('Invalid number of arguments');
    return { name: args[0], keys: args.slice(1) };
  },
  render(reply) {
    return field(reply, 'status') === 'ok' ? optionLines(reply) : consoleError(reply);
  },
};
