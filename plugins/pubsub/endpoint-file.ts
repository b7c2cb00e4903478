/**
 * The ipc:// pubsub endpoint's socket file: events name every pid and
 * watcher, so the file is restricted to its owner like the control
 * endpoint's, and given to `endpoint_owner` when one is configured so the
 * user allowed to drive the daemon can also follow it.
 */
import { errorMessage, resolveUser } from '../../kernel/index';
import { secureIpcFile } from '../../protocol/ipc-file';
import { PubsubEndpointError } from './errors';

/** chmod 0600, then chown to `owner` if set. Throws PubsubEndpointError naming the file or the user. */
export async function securePubsubFile(file: string, owner: string | null): Promise<void> {
  try {
    await secureIpcFile(file, 'pubsub socket file', owner, async (name) => (await resolveUser(name)).uid);
  } catch (err) {
    throw new PubsubEndpointError(errorMessage(err), { cause: err });
  }
}
