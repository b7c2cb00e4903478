/** `circusctl listsockets` (spec/protocol.md 2.11). */
import { type CtlCommand, consoleError, field, makeDoc } from '../command';
import { pyStr } from '../../../config/python';

export const listsocketsCommand: CtlCommand = {
  name: 'listsockets',
  summary: 'Get the list of sockets',
  doc: makeDoc(
    'Get the list of sockets',
    `
Lists the sockets circusd manages.

ZMQ message: {"command": "listsockets"}. The reply holds "sockets", each with
fd, name, backlog and host and port (or path for a Unix socket).

Command line:

    $ circusctl listsockets`,
  ),
  switches: [],
  channel: 'dealer',
  message() {
    return {};
  },
  render(reply) {
    if (!('sockets' in reply)) return consoleError(reply);
    return ((reply.sockets ?? []) as Record<string, unknown>[])
      .map((s) => {
        const head = `${pyStr(field(s, 'fd'))}:socket '${pyStr(field(s, 'name'))}' `;
        return 'path' in s ? `${head}at ${pyStr(s.path)}` : `${head}at ${pyStr(field(s, 'host'))}:${pyStr(field(s, 'port'))}`;
      })
      .join('\n');
  },
};
