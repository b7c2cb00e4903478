/** `circusctl reload [<name>] [--terminate] [--waiting] [--sequential]` (spec/protocol.md 2.16). */
import { ArgumentError } from '../../../kernel/index';
import { type CtlCommand, WAITING, makeDoc, renderOk } from '../command';

export const reloadCommand: CtlCommand = {
  name: 'reload',
  summary: 'Reload the arbiter or a watcher',
  doc: makeDoc(
    'Reload the arbiter or a watcher',
    `
Reloads the processes of a watcher, or of every watcher: a plain restart when
graceful is false, SIGHUP when the watcher has send_hup, otherwise new
processes are spawned and the old ones stopped (one at a time with
--sequential).

ZMQ message: {"command": "reload", "properties": {"name": "<name>", "graceful": true,
"sequential": false, "waiting": false}} ("name" is optional).

Command line:

    $ circusctl reload [<name>] [--terminate] [--waiting] [--sequential]

- <name>: name of the watcher
- --terminate: not graceful, stop the processes at once`,
  ),
  switches: [
    WAITING,
    { name: 'sequential', kind: 'flag', help: 'sequential reload' },
    { name: 'terminate', kind: 'flag', help: 'stop immediately' },
  ],
  channel: 'dealer',
  message(args, opts) {
    if (args.length > 1) throw new ArgumentError('invalid number of arguments');
    const rest = { graceful: opts.terminate !== true, waiting: opts.waiting === true, sequential: opts.sequential === true };
    return args.length === 1 ? { name: args[0], ...rest } : rest;
  },
  render: renderOk,
};
