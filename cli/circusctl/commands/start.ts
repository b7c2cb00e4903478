/** `circusctl start [<name>] [--waiting] [--match M]` (spec/protocol.md 2.21). */
import { ArgumentError } from '../../../kernel/index';
import { type CtlCommand, MATCH, WAITING, makeDoc, renderOk } from '../command';
import { matchDoc, matchMessage } from './match-message';

export const startCommand: CtlCommand = {
  name: 'start',
  summary: 'Start the arbiter or a watcher',
  doc: makeDoc('Start the arbiter or a watcher', matchDoc('start', 'Starts the processes of a watcher, or of every watcher.')),
  switches: [WAITING, MATCH],
  channel: 'dealer',
  message(args, opts) {
    if (args.length > 1) throw new ArgumentError('Invalid number of arguments');
    return matchMessage(args, opts);
  },
  render: renderOk,
};
