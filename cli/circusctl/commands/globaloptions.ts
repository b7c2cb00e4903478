/** `circusctl globaloptions [<option>]` (spec/protocol.md 2.5). */
import { type CtlCommand, field, makeDoc, optionLines } from '../command';
import { pyStr } from '../../../config/python';

export const globaloptionsCommand: CtlCommand = {
  name: 'globaloptions',
  summary: 'Get the arbiter options',
  doc: makeDoc(
    'Get the arbiter options',
    `
Shows the options of the arbiter.

ZMQ message: {"command": "globaloptions", "properties": {"option": "<option>"}}
("option" is optional). The reply holds "options".

Command line:

    $ circusctl globaloptions [<option>]

Option keys: endpoint, stats_endpoint, pubsub_endpoint, check_delay,
multicast_endpoint.`,
  ),
  switches: [],
  channel: 'dealer',
  message(args) {
    return args.length > 0 ? { option: args[0] } : {};
  },
  render(reply) {
    // Circus prints the bare reason here, without the `error: ` prefix.
    return field(reply, 'status') === 'ok' ? optionLines(reply) : pyStr(field(reply, 'reason'));
  },
};
