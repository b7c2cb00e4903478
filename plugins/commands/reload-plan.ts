/**
 * The difference reloadconfig applies (spec/daemon.md 7.4.3), computed and
 * checked before anything changes: a new watcher that cannot be built, a
 * socket section that cannot be converted, or a watcher that would keep
 * using a removed socket fails here (Q36 fixed), and then nothing changed.
 */
import {
  ArgumentError,
  errorMessage,
  parseSocketOptions,
  type Arbiter,
  type CircusConfig,
  type Watcher,
} from '../../kernel';

type WatcherRecord = CircusConfig['watchers'][number];
type SocketRecord = CircusConfig['sockets'][number];

/** What a reloadconfig will do. */
export interface ReloadPlan {
  /** The [circus] part changed: every watcher restarts as it is (quirk Q34). */
  readonly restartAll: boolean;
  readonly removeSockets: readonly string[];
  readonly addSockets: readonly SocketRecord[];
  /** Watchers whose only change is numprocesses, with the new count. */
  readonly resize: readonly { watcher: Watcher; numprocesses: number }[];
  /** Watchers gone from the file (runtime `add`ed ones included), stopped and removed. */
  readonly remove: readonly Watcher[];
  /** New watchers, built already; `replaces` is the old one they take over from. */
  readonly add: readonly { watcher: Watcher; replaces: Watcher | null }[];
}

/** Environment variables a shell sets on its own: never a reason to replace a watcher. */
const ENV_NOISE = new Set(['__CF_USER_TEXT_ENCODING', 'PS1', 'COMP_WORDBREAKS', 'PROMPT_COMMAND']);

function normalized(key: string, value: unknown): string {
  if (key === 'env' && value && typeof value === 'object') {
    const env = Object.entries(value as Record<string, string>)
      .filter(([k]) => !ENV_NOISE.has(k))
      .map(([k, v]) => [k, String(v).trim()])
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return JSON.stringify(env);
  }
  return JSON.stringify(value);
}

/** Keys (present on both sides, quirk Q35) whose values differ. */
function changedKeys(a: WatcherRecord, b: WatcherRecord): string[] {
  return Object.keys(a).filter((k) => k in b && normalized(k, a[k]) !== normalized(k, b[k]));
}

const CIRCUS_IGNORED = new Set(['watchers', 'plugins', 'sockets']);

/** The [circus] part of two configurations differs. */
export function circusChanged(a: CircusConfig, b: CircusConfig): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)].filter((k) => !CIRCUS_IGNORED.has(k)));
  return [...keys].some((k) => JSON.stringify((a as unknown as Record<string, unknown>)[k]) !== JSON.stringify((b as unknown as Record<string, unknown>)[k]));
}

function socketsOf(c: CircusConfig): Map<string, SocketRecord> {
  return new Map(c.sockets.filter((s) => s.name !== 'circushttpd').map((s) => [s.name.toLowerCase(), s]));
}

function usesSocket(record: WatcherRecord, socket: string): boolean {
  const text = `${String(record.cmd)} ${Array.isArray(record.args) ? record.args.join(' ') : String(record.args ?? '')}`.toLowerCase();
  return text.includes(`circus.sockets.${socket}`);
}

/**
 * Compares the configuration last applied with the one just loaded and
 * builds the new watchers. Throws ArgumentError naming what is wrong;
 * nothing is registered, started or bound by this function.
 */
export function planReload(arbiter: Arbiter, applied: CircusConfig, next: CircusConfig): ReloadPlan {
  const empty = { removeSockets: [], addSockets: [], resize: [], remove: [], add: [] };
  if (circusChanged(applied, next)) return { restartAll: true, ...empty };
  const oldSockets = socketsOf(applied);
  const newSockets = socketsOf(next);
  const removed = [...oldSockets.keys()].filter((n) => !newSockets.has(n));
  const changed = [...newSockets.keys()].filter((n) => oldSockets.has(n) && JSON.stringify(oldSockets.get(n)) !== JSON.stringify(newSockets.get(n)));
  const added = [...newSockets.keys()].filter((n) => !oldSockets.has(n));
  for (const name of [...changed, ...added]) {
    try {
      parseSocketOptions(newSockets.get(name) as SocketRecord);
    } catch (err) {
      throw new ArgumentError(`reloadconfig: [socket:${name}]: ${errorMessage(err)}`);
    }
  }
  for (const record of next.watchers) {
    const gone = removed.find((s) => usesSocket(record, s));
    if (gone) throw new ArgumentError(`reloadconfig: watcher '${record.name}' uses socket '${gone}', which the new configuration removes`);
  }
  const oldRecords = new Map(applied.watchers.map((r) => [r.name.toLowerCase(), r]));
  const newRecords = new Map(next.watchers.map((r) => [r.name.toLowerCase(), r]));
  const remove = arbiter.watchers.filter((w) => !newRecords.has(w.name.toLowerCase()));
  const resize: { watcher: Watcher; numprocesses: number }[] = [];
  const toBuild: { record: WatcherRecord; replaces: Watcher | null }[] = [];
  for (const [key, record] of newRecords) {
    const current = arbiter.find(key);
    const before = oldRecords.get(key);
    if (!current) toBuild.push({ record, replaces: null });
    else if (!before || arbiter.isRuntimeAdded(current) || changed.some((s) => usesSocket(record, s))) toBuild.push({ record, replaces: current });
    else {
      const diff = changedKeys(before, record);
      if (diff.length === 1 && diff[0] === 'numprocesses') resize.push({ watcher: current, numprocesses: record.numprocesses });
      else if (diff.length > 0) toBuild.push({ record, replaces: current });
    }
  }
  const add = toBuild.map(({ record, replaces }) => {
    try {
      return { watcher: arbiter.buildWatcher(record), replaces };
    } catch (err) {
      throw new ArgumentError(`reloadconfig: ${errorMessage(err)}`);
    }
  });
  return {
    restartAll: false,
    removeSockets: [...removed, ...changed],
    addSockets: [...changed, ...added].map((n) => newSockets.get(n) as SocketRecord),
    resize,
    remove,
    add,
  };
}
