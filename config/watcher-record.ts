/**
 * `[watcher:NAME]` sections into records (spec/daemon.md 1.9, 2.1): the
 * defaults of every always-present key, typed options cast at load time,
 * everything else kept as a string for the watcher to convert later.
 */

import { toBool, toFloat, toInt } from './cast';
import { EnvSubstituter } from './env';
import { IniDocument, IniValue, NAME_OPTION } from './ini-document';
import { ProblemSink } from './option-reader';
import { setOwn } from './own';
import { toSignum } from './signals';

/** SIGTERM on every platform Circus runs on. */
const SIGTERM = 15;

/** A watcher record while the loader still fills in its env and substitutions. */
export type DraftWatcher = Record<string, unknown> & {
  name: string;
  env: Record<string, string>;
  copy_env: boolean;
};

/** Options cast with `int()` at load time. */
const INT_OPTIONS: ReadonlySet<string> = new Set(['numprocesses', 'warmup_delay', 'max_retry', 'priority']);
/** Boolean options and their default. */
const BOOL_OPTIONS: ReadonlyMap<string, boolean> = new Map(Object.entries({
  shell: false,
  send_hup: false,
  stop_children: false,
  close_child_stderr: false,
  close_child_stdout: false,
  use_sockets: false,
  singleton: false,
  copy_env: false,
  copy_path: false,
  on_demand: false,
  check_flapping: true,
  respawn: true,
  autostart: true,
  close_child_stdin: true,
}));

/** The defaults every record carries, in the order they are printed. */
export function watcherDefaults(name: string): DraftWatcher {
  return {
    name,
    cmd: '',
    args: '',
    numprocesses: 1,
    warmup_delay: 0,
    executable: null,
    working_dir: null,
    on_demand: false,
    shell: false,
    uid: null,
    gid: null,
    send_hup: false,
    stop_signal: SIGTERM,
    stop_children: false,
    max_retry: 5,
    graceful_timeout: 30.0,
    rlimits: {},
    stdout_stream: {},
    stderr_stream: {},
    priority: 0,
    use_sockets: false,
    singleton: false,
    copy_env: false,
    copy_path: false,
    hooks: {},
    respawn: true,
    autostart: true,
    env: {},
  };
}

/**
 * Builds the draft record of one `[watcher:…]` section. Typed options are
 * substituted against the global env (they never see `[env:…]`, quirk Q9);
 * string options stay raw here and are substituted by
 * {@link expandWatcherStrings} once the watcher env is known.
 */
export function buildWatcherDraft(
  doc: IniDocument,
  section: string,
  globalEnv: EnvSubstituter,
  sink: ProblemSink,
): DraftWatcher {
  const w = watcherDefaults(section.slice(section.indexOf('watcher:') + 'watcher:'.length));
  const rlimits: Record<string, number> = {};
  const hooks: Record<string, readonly [string, boolean]> = {};
  const streams: Record<string, Record<string, string>> = { stdout_stream: {}, stderr_stream: {} };

  for (const [key, at] of doc.items(section)) {
    const raw = at.value;
    const typed = <T>(cast: (s: string) => T, fallback: T): T =>
      sink.cast(at, section, key, globalEnv.apply(raw), cast, fallback);

    if (key === 'name' || key === 'env') {
      // `name` comes from the header (1.4); `env` is replaced by the env sections (1.8).
      continue;
    } else if (INT_OPTIONS.has(key)) {
      setOwn(w, key, typed(toInt, w[key]));
    } else if (BOOL_OPTIONS.has(key)) {
      setOwn(w, key, typed(toBool, BOOL_OPTIONS.get(key)!));
    } else if (key === 'graceful_timeout') {
      setOwn(w, key, typed(toFloat, 30.0));
    } else if (key === 'executable') {
      setOwn(w, key, globalEnv.apply(raw));
    } else if (key === 'stop_signal') {
      setOwn(w, key, sink.cast(at, section, key, raw, toSignum, SIGTERM));
    } else if (key.startsWith('stdout_stream.') || key.startsWith('stderr_stream.')) {
      const dot = key.indexOf('.');
      setOwn(streams[key.slice(0, dot)], key.slice(dot + 1), raw);
    } else if (key.startsWith('rlimit_')) {
      const limit = raw === '' ? -1 : sink.cast(at, section, key, raw, toInt, -1);
      setOwn(rlimits, key.slice('rlimit_'.length).toLowerCase(), limit);
    } else if (key.startsWith('hooks.')) {
      setOwn(hooks, key.slice('hooks.'.length), parseHook(at, section, key, sink));
    } else {
      // cmd, args, working_dir, uid, gid, __name__ and every free-form option.
      setOwn(w, key, raw);
    }
  }
  w.rlimits = rlimits;
  w.hooks = hooks;
  w.stdout_stream = streams.stdout_stream;
  w.stderr_stream = streams.stderr_stream;
  return w;
}

/** `spec[, ignore_failure]` split at the first comma (5.2). */
function parseHook(at: IniValue, section: string, key: string, sink: ProblemSink): readonly [string, boolean] {
  const comma = at.value.indexOf(',');
  if (comma === -1) return [at.value.trim(), false];
  const spec = at.value.slice(0, comma).trim();
  return [spec, sink.cast(at, section, key, at.value.slice(comma + 1).trim(), toBool, false)];
}

/**
 * The last loading step for a watcher (1.1 step 8): every string option and
 * every string inside a map option, except `name` and `env`, gets
 * `$(circus.env.*)` substitution against the global env overlaid with the
 * watcher's env. Typed values, rlimits and hooks are left alone.
 */
export function expandWatcherStrings(w: DraftWatcher, env: EnvSubstituter): void {
  for (const key of Object.keys(w)) {
    if (key === 'name' || key === 'env' || key === 'hooks' || key === 'rlimits') continue;
    const v = w[key];
    if (typeof v === 'string') {
      w[key] = env.apply(v);
    } else if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const map = v as Record<string, unknown>;
      for (const sub of Object.keys(map)) {
        if (typeof map[sub] === 'string') map[sub] = env.apply(map[sub] as string);
      }
    }
  }
}

/** True when the section has options besides `__name__` (empty sections are skipped, 1.4). */
export function sectionHasOptions(doc: IniDocument, section: string): boolean {
  return doc.items(section).some(([k]) => k !== NAME_OPTION);
}
