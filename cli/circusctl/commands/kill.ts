/** `circusctl kill <name> [<pid>] [--signum SIG] [--graceful_timeout N]` (spec/protocol.md 2.8). */
import { ArgumentError } from '../../../kernel/index';
import { type CtlCommand, WAITING, makeDoc, renderOk } from '../command';

export const killCommand: CtlCommand = {
  name: 'kill',
  summary: 'Kill a specific process',
  doc: makeDoc(
    'Kill a specific process',
    `
Terminates the processes of a watcher, or one of them: sends the signal, then
SIGKILL if the process is still alive after graceful_timeout.

ZMQ message: {"command": "kill", "properties": {"name": "<name>", "pid": <pid>,
"signum": <signum>, "graceful_timeout": <seconds>}} ("pid", "signum" and
"graceful_timeout" are optional).

Command line:

    $ circusctl kill <name> [<pid>] [--signum] [--graceful_timeout]

- <name>: the name of the watcher
- <pid>: the process id
- --signum: overrides the watcher's stop_signal (number or name)
- --graceful_timeout: overrides the watcher's graceful_timeout`,
  ),
  switches: [
    WAITING,
    { name: 'signum', kind: 'value', default: null, help: "overrides the watcher's stop_signal (number or name)" },
    { name: 'graceful_timeout', kind: 'value', default: null, help: "overrides the watcher's graceful_timeout" },
  ],
  channel: 'dealer',
  message(args, opts) {
    if (args.length < 1 || args.length > 2) throw new ArgumentError('Invalid number of arguments');
    // As Circus: pid, signum and graceful_timeout go as typed (strings); --waiting is not sent.
    const props: Record<string, unknown> = { name: args[0] };
    if (args.length > 1) props.pid = args[1];
    if (typeof opts.signum === 'string') props.signum = opts.signum;
    if (typeof opts.graceful_timeout === 'string') props.graceful_timeout = opts.graceful_timeout;
    return props;
  },
  render: renderOk,
};
