/** `circusctl signal [--children] [--recursive] <name> [<pid>] <signum>` (spec/protocol.md 2.22). */
import { ArgumentError } from '../../../kernel/index';
import { type CtlCommand, makeDoc, pyInt, renderOk } from '../command';

export const signalCommand: CtlCommand = {
  name: 'signal',
  summary: 'Send a signal',
  doc: makeDoc(
    'Send a signal',
    `
Sends a signal to the processes of a watcher, to one of them, or to their
children.

ZMQ message: {"command": "signal", "properties": {"name": "<name>", "signum": <signum>,
"pid": <pid>, "childpid": <childpid>, "children": false, "recursive": false}}
("pid", "childpid", "children" and "recursive" are optional).

Command line:

    $ circusctl signal <name> [<pid>] [--children] [--recursive] <signum>

- <name>: the name of the watcher
- <pid>: the process id
- <signum>: the signal number or name
- --children: signal the children of the process instead
- --recursive: signal the process and all its descendants`,
  ),
  switches: [
    { name: 'children', kind: 'flag', help: 'Only signal children of the process' },
    { name: 'recursive', kind: 'flag', help: 'Signal parent and children' },
  ],
  channel: 'dealer',
  message(args, opts) {
    if (args.length < 2 || args.length > 3) throw new ArgumentError('Invalid number of arguments');
    const props: Record<string, unknown> = {
      name: args[0],
      children: opts.children === true,
      recursive: opts.recursive === true,
      signum: args[args.length - 1],
    };
    if (args.length === 3) props.pid = pyInt(args[1]);
    return props;
  },
  render: renderOk,
};
