/** `circusctl ipython` (spec/protocol.md 2.7). */
import { ArgumentError } from '../../../kernel/index';
import { type CtlCommand, consoleError, field, makeDoc } from '../command';

export const ipythonCommand: CtlCommand = {
  name: 'ipython',
  summary: 'Create shell into circusd process',
  doc: makeDoc(
    'Create shell into circusd process',
    `
Asks circusd to start an IPython kernel. circus-ts daemons answer that it is
not supported, and this circusctl cannot attach to a kernel a Python circusd
starts.

Command line:

    $ circusctl ipython`,
  ),
  switches: [],
  channel: 'dealer',
  message(args) {
    if (args.length > 0) throw new ArgumentError('Invalid message');
    return {};
  },
  render(reply) {
    if (field(reply, 'status') === 'ok') {
      const shell = field(reply, 'shell');
      const reason = shell
        ? `an IPython kernel was started in circusd (${String(shell)}); attach with: ipython console --existing ${String(shell)}`
        : 'Could not start ipython kernel';
      return consoleError({ ...reply, reason });
    }
    return consoleError(reply);
  },
};
