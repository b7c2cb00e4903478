/** `circusctl decr <name> [<nb>] [--waiting]` (spec/protocol.md 2.2). */
import { type CtlCommand, WAITING, makeDoc } from '../command';
import { countMessage, renderCount } from './incr';

export const decrCommand: CtlCommand = {
  name: 'decr',
  summary: 'Decrement the number of processes in a watcher',
  doc: makeDoc(
    'Decrement the number of processes in a watcher',
    `
Removes <nb> processes (1 by default) from a watcher; the oldest go first.

ZMQ message: {"command": "decr", "properties": {"name": "<name>", "nb": <nb>, "waiting": false}}.
With waiting, the reply carries the new count in "numprocesses".

Command line:

    $ circusctl decr <name> [<nb>] [--waiting]

- <name>: name of the watcher
- <nb>: number of processes to remove`,
  ),
  switches: [WAITING],
  channel: 'dealer',
  message: countMessage,
  render: renderCount,
};
