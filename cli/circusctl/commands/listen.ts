/** `circusctl listen [<topic> ...]` (spec/protocol.md 2.10): a pub/sub subscription, not a request. */
import { type CtlCommand, makeDoc, renderOk } from '../command';

export const listenCommand: CtlCommand = {
  name: 'listen',
  summary: 'Subscribe to a watcher event',
  doc: makeDoc(
    'Subscribe to a watcher event',
    `
Subscribes to circusd's pub/sub endpoint and prints every event whose topic
starts with one of the given prefixes (all events without a prefix), until
interrupted. The endpoint is --endpoint, else tcp://127.0.0.1:5556
(CIRCUSCTL_ENDPOINT and --ssh do not apply).

Topics: watcher.<name>.spawn, .reap, .kill, .stop, .start, .add, .remove,
.reload, .updated, .hook_success, .hook_failure.

Command line:

    $ circusctl listen [<topic>, ...]

Example:

    $ circusctl listen watcher.web.
    b'watcher.web.spawn': b'{"process_pid": 4242, "time": 1717171717.5}'`,
  ),
  switches: [],
  channel: 'sub',
  message(args) {
    // Topics travel as a list; the controller subscribes instead of sending.
    return { topics: args.length === 0 ? [''] : [...args] };
  },
  render: renderOk,
};
