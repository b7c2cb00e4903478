/** `circusctl restart [<name>] [--waiting] [--match M]` (spec/protocol.md 2.18). */
import { ArgumentError } from '../../../kernel/index';
import { type CtlCommand, MATCH, WAITING, makeDoc, renderOk } from '../command';
import { matchDoc, matchMessage } from './match-message';

export const restartCommand: CtlCommand = {
  name: 'restart',
  summary: 'Restart the arbiter or a watcher',
  doc: makeDoc('Restart the arbiter or a watcher', matchDoc('restart', 'Stops then starts the processes of a watcher, or the whole arbiter.')),
  switches: [WAITING, MATCH],
  channel: 'dealer',
  message(args, opts) {
    if (args.length > 1) throw new ArgumentError('Invalid number of arguments');
    return matchMessage(args, opts);
  },
  render: renderOk,
};
