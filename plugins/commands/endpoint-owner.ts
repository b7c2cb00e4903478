/**
 * The endpoint_owner rules of `add` and `set` (spec/protocol.md 2.1 and
 * 6.2, issue 9). With `[circus] endpoint_owner` set and an ipc:// control
 * endpoint, the owner of the socket file may drive circusd (often root),
 * but must not get more than its own account's rights through it:
 *
 * - uid: `add` needs `options.uid` exactly equal to endpoint_owner (Circus's
 *   rule, string comparison); `set` may only set uid to that same string;
 * - gid (`add` and `set`): only the owner's primary group, by name or id;
 * - cmd, args, env, working_dir, shell (`set`): only on a watcher whose
 *   processes run, after the set, with the owner's uid and primary gid
 *   (as the spawner applies uid/gid: unset keeps circusd's own), since
 *   they decide what runs;
 * - hooks and output streams (`add` and `set`, any watcher): never, since
 *   circusd itself loads a hook or stream class and opens a stream's file,
 *   with its own rights.
 *
 * Every refusal is errno 3 (ArgumentError) with a reason naming the
 * property, raised before anything changes. Watchers of the config file
 * are the administrator's and are not restricted.
 */
import { ArgumentError, errorMessage, resolveGroup, resolveUser, type CircusConfig, type Watcher } from '../../kernel';

/** The `add`/`set` keys that decide what a watcher runs: refused unless it runs as the owner. */
const WHAT_RUNS = ['cmd', 'args', 'env', 'working_dir', 'shell'];

/** The endpoint_owner the rules enforce, or null when they are off (unset, or not an ipc endpoint). */
export function enforcedOwner(config: CircusConfig): string | null {
  const owner = config.endpoint_owner;
  if (owner === null || owner === '' || !config.endpoint.startsWith('ipc://')) return null;
  return owner;
}

/** Whether the key is a hook or an output stream (whole map or one dotted key). */
function runsInCircusd(key: string): boolean {
  return /^(hooks|stdout_stream|stderr_stream)($|\.)/.test(key);
}

/** The owner's numeric uid and primary gid; a bad endpoint_owner refuses, never allows. */
async function ownerAccount(owner: string): Promise<{ uid: number; gid: number }> {
  try {
    const user = await resolveUser(owner);
    return { uid: user.uid, gid: user.gid };
  } catch (err) {
    throw new ArgumentError(`endpoint_owner '${owner}' cannot be resolved: ${errorMessage(err)}`);
  }
}

/** Whether a gid value (name or id, string or integer) is the owner's primary group. */
async function isOwnerGroup(value: unknown, gid: number): Promise<boolean> {
  try {
    return (await resolveGroup(String(value))) === gid;
  } catch {
    return false; // Unknown group: certainly not the owner's.
  }
}

/**
 * The uid and gid a watcher's processes get from its uid/gid settings, as
 * the spawner applies them: unset (or id 0, Circus's quirk) keeps
 * circusd's own; a user without a gid gets the user's primary group. Null
 * when a name does not resolve (its processes cannot start at all).
 */
async function effectiveIdentity(uid: string | null, gid: string | null): Promise<{ uid: number; gid: number } | null> {
  try {
    const user = uid !== null && uid !== '' ? await resolveUser(uid) : null;
    let group = gid !== null && gid !== '' ? await resolveGroup(gid) : user ? user.gid : 0;
    if (group === 0) group = process.getgid?.() ?? 0;
    const id = user && user.uid !== 0 ? user.uid : process.getuid?.() ?? 0;
    return { uid: id, gid: group };
  } catch {
    return null;
  }
}

function refuseDaemonSide(options: Readonly<Record<string, unknown>>): void {
  const key = Object.keys(options).find(runsInCircusd);
  if (key !== undefined) {
    throw new ArgumentError(`${key} is not allowed with endpoint_owner: circusd itself would load or open it`);
  }
}

async function checkGid(options: Readonly<Record<string, unknown>>, gid: number): Promise<void> {
  if (options.gid !== undefined && !(await isOwnerGroup(options.gid, gid))) {
    throw new ArgumentError('gid does not match the primary group of endpoint_owner');
  }
}

/**
 * The `add` rules (validated options): uid equal to endpoint_owner (Circus's
 * exact reason), gid the owner's primary group, no hooks or streams.
 */
export async function checkAddForOwner(config: CircusConfig, options: Readonly<Record<string, unknown>>): Promise<void> {
  const owner = enforcedOwner(config);
  if (owner === null) return;
  if (options.uid !== owner) throw new ArgumentError('uid does not match endpoint_owner');
  refuseDaemonSide(options);
  await checkGid(options, (await ownerAccount(owner)).gid);
}

/**
 * The `set` rules (validated options, the watcher found): uid only to
 * endpoint_owner, gid only to its primary group, no hooks or streams, and
 * what-runs keys only when the watcher will run as the owner.
 */
export async function checkSetForOwner(config: CircusConfig, w: Watcher, options: Readonly<Record<string, unknown>>): Promise<void> {
  const owner = enforcedOwner(config);
  if (owner === null) return;
  if (options.uid !== undefined && options.uid !== owner) throw new ArgumentError('uid does not match endpoint_owner');
  refuseDaemonSide(options);
  const account = await ownerAccount(owner);
  await checkGid(options, account.gid);
  const key = WHAT_RUNS.find((k) => options[k] !== undefined);
  if (key === undefined) return;
  const current = w.options();
  const uid = options.uid !== undefined ? String(options.uid) : current.uid;
  const gid = options.gid !== undefined ? String(options.gid) : current.gid;
  const runs = await effectiveIdentity(uid, gid);
  if (runs === null || runs.uid !== account.uid || runs.gid !== account.gid) {
    throw new ArgumentError(`${key} cannot be changed: watcher '${w.name}' does not run as endpoint_owner`);
  }
}
