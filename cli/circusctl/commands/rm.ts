/** `circusctl rm <name> [--waiting] [--nostop]` (spec/protocol.md 2.19). */
import { ArgumentError } from '../../../kernel/index';
import { type CtlCommand, WAITING, makeDoc, renderOk } from '../command';

export const rmCommand: CtlCommand = {
  name: 'rm',
  summary: 'Remove a watcher',
  doc: makeDoc(
    'Remove a watcher',
    `
Removes a watcher from the arbiter; its processes are stopped gracefully.

ZMQ message: {"command": "rm", "properties": {"name": "<name>", "nostop": false, "waiting": false}}.

Command line:

    $ circusctl rm <name> [--waiting] [--nostop]

As in Circus 0.19.0, circusctl accepts --waiting and --nostop but sends only
the name.`,
  ),
  switches: [WAITING, { name: 'nostop', kind: 'flag', help: 'Do not stop watcher processes' }],
  channel: 'dealer',
  message(args) {
    if (args.length !== 1) throw new ArgumentError('Invalid number of arguments');
    return { name: args[0] };
  },
  render: renderOk,
};
