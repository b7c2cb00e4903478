/**
 * The ipc:// control endpoint's socket file: whoever can write to it can
 * run any command as circusd's user (spec/protocol.md 6.2), so it is
 * restricted to its owner right after the bind, and removed on close
 * (libzmq leaves it behind). The file handling is shared with the pubsub
 * endpoint (protocol/ipc-file.ts).
 */
import { errorMessage, resolveUser } from '../../kernel/index';
import { IPC_FILE_MODE, ipcPath, removeIpcFile, secureIpcFile as secure } from '../../protocol/ipc-file';
import { ControlEndpointError } from './errors';

export { IPC_FILE_MODE, ipcPath, removeIpcFile };

/** chmod 0600 and chown to endpoint_owner; throws ControlEndpointError naming the file or the user. */
export async function secureIpcFile(file: string, owner: string | null): Promise<void> {
  try {
    await secure(file, 'control socket file', owner, async (name) => (await resolveUser(name)).uid);
  } catch (err) {
    throw new ControlEndpointError(errorMessage(err), { cause: err });
  }
}
