/** `circusctl incr <name> [<nb>] [--waiting]` (spec/protocol.md 2.2, 2.6). */
import { ArgumentError } from '../../../kernel/index';
import { type CtlCommand, type Reply, WAITING, consoleError, makeDoc, pyInt } from '../command';
import { pyStr } from '../../../config/python';

/** Properties of incr and decr: name, nb when given, then the switches. */
export function countMessage(args: readonly string[], opts: Readonly<Record<string, unknown>>): Record<string, unknown> {
  if (args.length < 1) throw new ArgumentError('Invalid number of arguments');
  const props: Record<string, unknown> = { name: args[0] };
  if (args.length > 1) props.nb = pyInt(args[1]);
  props.waiting = opts.waiting === true;
  return props;
}

/** The new count (only present with --waiting), `ok`, or the singleton notice. */
export function renderCount(reply: Reply): string {
  if (reply.status === 'ok') {
    if ('singleton' in reply) return 'This watcher is a Singleton - not changing the number of processes';
    return 'numprocesses' in reply ? pyStr(reply.numprocesses) : 'ok';
  }
  return consoleError(reply);
}

export const incrCommand: CtlCommand = {
  name: 'incr',
  summary: 'Increment the number of processes in a watcher',
  doc: makeDoc(
    'Increment the number of processes in a watcher',
    `
Adds <nb> processes (1 by default) to a watcher.

ZMQ message: {"command": "incr", "properties": {"name": "<name>", "nb": <nb>, "waiting": false}}.
With waiting, the reply carries the new count in "numprocesses".

Command line:

    $ circusctl incr <name> [<nb>] [--waiting]

- <name>: name of the watcher
- <nb>: number of processes to add`,
  ),
  switches: [WAITING],
  channel: 'dealer',
  message: countMessage,
  render: renderCount,
};
