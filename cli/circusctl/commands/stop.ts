/** `circusctl stop [<name>] [--waiting] [--match M]` (spec/protocol.md 2.25). */
import { type CtlCommand, MATCH, WAITING, makeDoc, renderOk } from '../command';
import { matchDoc, matchMessage } from './match-message';

export const stopCommand: CtlCommand = {
  name: 'stop',
  summary: 'Stop watchers',
  doc: makeDoc('Stop watchers', matchDoc('stop', 'Stops a watcher, or every watcher.')),
  switches: [WAITING, MATCH],
  channel: 'dealer',
  // As Circus: extra arguments are ignored.
  message: matchMessage,
  render: renderOk,
};
