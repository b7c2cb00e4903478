/**
 * The ipc:// control endpoint's socket file: whoever can write to it can
 * run any command as circusd's user (spec/protocol.md 6.2), so it is
 * restricted to its owner right after the bind, and removed on close
 * (libzmq leaves it behind).
 */
import { chmod, chown } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { errorMessage, resolveUser } from '../../kernel/index';
import { ControlEndpointError } from './errors';

/** Mode of the socket file: read/write for the owner only. */
export const IPC_FILE_MODE = 0o600;

/**
 * The socket file of an `ipc://` endpoint (the text after the scheme, so
 * `ipc://run/c.sock` is relative to the working directory), or null for any
 * other transport and for Linux abstract sockets (`ipc://@name`), which
 * have no file.
 */
export function ipcPath(endpoint: string): string | null {
  if (!endpoint.startsWith('ipc://')) return null;
  const file = endpoint.slice('ipc://'.length);
  return file === '' || file.startsWith('@') ? null : file;
}

/**
 * chmod 0600, then, with `endpoint_owner`, chown to that user (name or
 * uid, group unchanged) so that user -- and only that user besides root --
 * can connect. Throws ControlEndpointError naming the file or the user.
 */
export async function secureIpcFile(file: string, owner: string | null): Promise<void> {
  try {
    await chmod(file, IPC_FILE_MODE);
  } catch (err) {
    throw new ControlEndpointError(`could not restrict the control socket file ${file}: ${errorMessage(err)}`, { cause: err });
  }
  if (owner === null || owner === '') return;
  let uid: number;
  try {
    uid = (await resolveUser(owner)).uid;
  } catch (err) {
    throw new ControlEndpointError(`endpoint_owner '${owner}': ${errorMessage(err)}`, { cause: err });
  }
  try {
    await chown(file, uid, -1);
  } catch (err) {
    throw new ControlEndpointError(`could not give the control socket file ${file} to endpoint_owner '${owner}': ${errorMessage(err)}`, {
      cause: err,
    });
  }
}

/** Removes the socket file; one already gone is fine. */
export function removeIpcFile(file: string): void {
  rmSync(file, { force: true });
}
