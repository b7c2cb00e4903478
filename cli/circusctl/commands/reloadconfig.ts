/** `circusctl reloadconfig [--waiting]` (spec/protocol.md 2.17). */
import { type CtlCommand, WAITING, makeDoc, renderOk } from '../command';

export const reloadconfigCommand: CtlCommand = {
  name: 'reloadconfig',
  summary: 'Reload the configuration file',
  doc: makeDoc(
    'Reload the configuration file',
    `
Reads the configuration file again and applies the differences: new, changed
and removed sockets and watchers.

ZMQ message: {"command": "reloadconfig", "properties": {"waiting": false}}.

Command line:

    $ circusctl reloadconfig [--waiting]`,
  ),
  switches: [WAITING],
  channel: 'dealer',
  message(_args, opts) {
    return { waiting: opts.waiting === true };
  },
  render: renderOk,
};
