/**
 * The socket file of an `ipc://` ZeroMQ endpoint (control, pubsub, stats).
 * Whoever can write to it can talk to the daemon as its user
 * (spec/protocol.md 6.2), so the endpoints restrict it to its owner right
 * after the bind and remove it on close (libzmq leaves it behind). Shared
 * here because no plugin may import another plugin.
 */
import { rmSync } from 'node:fs';
import { chmod, chown } from 'node:fs/promises';

/** Mode of an endpoint's socket file: read/write for the owner only. */
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

/** chmod {@link IPC_FILE_MODE}; rejects with Node's error (it names the file). */
export async function restrictIpcFile(file: string): Promise<void> {
  await chmod(file, IPC_FILE_MODE);
}

/** Removes the socket file; one already gone is fine. */
export function removeIpcFile(file: string): void {
  rmSync(file, { force: true });
}

/**
 * chmod {@link IPC_FILE_MODE}, then, with `owner` (endpoint_owner: a name or
 * uid, resolved by `resolveUid`, the kernel's user lookup), chown to that
 * user, group unchanged, so that user -- and only that user besides root --
 * can connect. Rejects with an Error whose message names `what` (`control
 * socket file`), the file, or the user.
 */
export async function secureIpcFile(
  file: string,
  what: string,
  owner: string | null,
  resolveUid: (owner: string) => Promise<number>,
): Promise<void> {
  const reason = (err: unknown): string => (err instanceof Error ? err.message : String(err));
  try {
    await restrictIpcFile(file);
  } catch (err) {
    throw new Error(`could not restrict the ${what} ${file}: ${reason(err)}`, { cause: err });
  }
  if (owner === null || owner === '') return;
  let uid: number;
  try {
    uid = await resolveUid(owner);
  } catch (err) {
    throw new Error(`endpoint_owner '${owner}': ${reason(err)}`, { cause: err });
  }
  try {
    await chown(file, uid, -1);
  } catch (err) {
    throw new Error(`could not give the ${what} ${file} to endpoint_owner '${owner}': ${reason(err)}`, { cause: err });
  }
}
