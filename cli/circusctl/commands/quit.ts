/** `circusctl quit [--waiting]` (spec/protocol.md 2.15). */
import { type CtlCommand, WAITING, makeDoc, renderOk } from '../command';

export const quitCommand: CtlCommand = {
  name: 'quit',
  summary: 'Quit the arbiter immediately',
  doc: makeDoc(
    'Quit the arbiter immediately',
    `
Stops every watcher and exits circusd.

ZMQ message: {"command": "quit", "properties": {"waiting": false}}.
With waiting, the reply comes once the watchers have stopped.

Command line:

    $ circusctl quit [--waiting]`,
  ),
  switches: [WAITING],
  channel: 'dealer',
  message(_args, opts) {
    return { waiting: opts.waiting === true };
  },
  render: renderOk,
};
