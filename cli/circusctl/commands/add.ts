/** `circusctl add [--start] <name> <cmd...>` (spec/protocol.md 2.1). */
import { ArgumentError } from '../../../kernel/index';
import { type CtlCommand, makeDoc, renderOk } from '../command';

export const addCommand: CtlCommand = {
  name: 'add',
  summary: 'Add a watcher',
  doc: makeDoc(
    'Add a watcher',
    `
Adds a watcher to the running arbiter. It starts stopped unless --start is given.

ZMQ message: {"command": "add", "properties": {"name": "<name>", "cmd": "<command line>",
"args": [], "options": {}, "start": false}}. The reply is a plain "ok".

Command line:

    $ circusctl add [--start] <name> <cmd>

- <name>: name of the watcher to create
- <cmd>: the command line; every word after the name is part of it
- --start: start the watcher at once`,
  ),
  switches: [{ name: 'start', kind: 'flag', help: 'start immediately the watcher' }],
  channel: 'dealer',
  message(args, opts) {
    if (args.length < 2) throw new ArgumentError('Invalid number of arguments');
    return { name: args[0], cmd: args.slice(1).join(' '), start: opts.start === true };
  },
  render: renderOk,
};
