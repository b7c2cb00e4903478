import { statSync } from 'node:fs';
import { WatcherRecord } from '../../config/model';
import { ConstructionError } from '../errors';
import { HookSpec } from '../hooks/hook-types';
import { Logger } from '../logger';
import { buildWatcherEnv } from '../process/env';
import { DEFAULT_RESTART_POLICY, RestartPolicySettings } from './restart-policy';
import { applyVirtualenv } from './virtualenv';

/**
 * The live, typed options of one watcher (Circus attribute names). The
 * watcher mutates it through `set` (spec 2.16); everything else reads it.
 */
export interface WatcherSettings {
  name: string;
  cmd: string;
  args: string | readonly string[] | null;
  shell: boolean;
  shell_args: string | readonly string[] | null;
  executable: string | null;
  working_dir: string;
  uid: string | null;
  gid: string | null;
  /** The expanded child environment (2.2). */
  env: Record<string, string>;
  numprocesses: number;
  warmup_delay: number;
  send_hup: boolean;
  stop_signal: number;
  stop_children: boolean;
  max_retry: number;
  graceful_timeout: number;
  rlimits: Record<string, number>;
  priority: number;
  singleton: boolean;
  use_sockets: boolean;
  /** Name of the circus socket put on the child's fd 0 (spec 3.4), or null. */
  stdin_socket: string | null;
  copy_env: boolean;
  copy_path: boolean;
  respawn: boolean;
  autostart: boolean;
  on_demand: boolean;
  max_age: number;
  max_age_variance: number;
  close_child_stdin: boolean;
  close_child_stdout: boolean;
  close_child_stderr: boolean;
  stdout_stream: Record<string, string>;
  stderr_stream: Record<string, string>;
  /** `hooks.*`: INI `[spec, ignoreFailure]` pairs, or functions when embedding. */
  hooks: Record<string, HookSpec>;
  restart: RestartPolicySettings;
  /** Free-form keys as given (plugins read them, `options` shows them). */
  extra: Record<string, unknown>;
}

/** What construction reads from circusd itself. */
export interface ConstructionContext {
  readonly processEnv: Readonly<Record<string, string | undefined>>;
  /** circusd's real working directory. */
  readonly cwd: string;
  readonly logger: Logger;
}

const KNOWN = new Set([
  'name', 'cmd', 'args', 'shell', 'shell_args', 'executable', 'working_dir', 'uid', 'gid', 'env',
  'numprocesses', 'warmup_delay', 'send_hup', 'stop_signal', 'stop_children', 'max_retry',
  'graceful_timeout', 'rlimits', 'priority', 'singleton', 'use_sockets', 'stdin_socket', 'copy_env', 'copy_path',
  'respawn', 'autostart', 'on_demand', 'max_age', 'max_age_variance', 'close_child_stdin',
  'close_child_stdout', 'close_child_stderr', 'stdout_stream', 'stderr_stream', 'hooks', '__name__',
]);

/** Python int() of a free-form option: optional sign, digits, surrounding blanks. */
export function strictInt(watcher: string, key: string, value: unknown, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  const text = String(value).trim().replace(/_/g, '');
  if (!/^[+-]?\d+$/.test(text)) {
    throw new ConstructionError(watcher, `${key}: invalid literal for int() with base 10: '${String(value)}'`);
  }
  return Number(text);
}

function nonNegativeFloat(watcher: string, key: string, value: unknown, fallback: number): number {
  if (value === undefined || value === null || value === '') return fallback;
  const n = typeof value === 'number' ? value : Number(String(value).trim());
  if (!Number.isFinite(n) || n < 0 || String(value).trim() === '') {
    throw new ConstructionError(watcher, `${key}: expected a non-negative number of seconds, got '${String(value)}'`);
  }
  return n;
}

function bool(value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'boolean') return value;
  return ['1', 'yes', 'true', 'on'].includes(String(value).trim().toLowerCase());
}

/**
 * The default working directory: `$PWD` when it names the same directory
 * (device and inode) as the real cwd, so symlinked paths are kept, else the
 * real cwd.
 */
export function defaultWorkingDir(ctx: ConstructionContext): string {
  const pwd = ctx.processEnv.PWD;
  if (pwd) {
    try {
      const a = statSync(pwd);
      const b = statSync(ctx.cwd);
      if (a.dev === b.dev && a.ino === b.ino) return pwd;
    } catch {
      // A stale $PWD simply does not qualify.
    }
  }
  return ctx.cwd;
}

/**
 * Watcher construction (spec 1.10): converts and validates a record. Any
 * problem throws a ConstructionError naming the watcher; the arbiter then
 * skips that watcher with "Failed to create watcher".
 */
export function buildWatcherSettings(record: WatcherRecord, ctx: ConstructionContext): WatcherSettings {
  const name = record.name;
  if (typeof name !== 'string' || name === '') throw new ConstructionError(String(name), 'a watcher needs a name');
  const singleton = bool(record.singleton, false);
  const numprocesses = strictInt(name, 'numprocesses', record.numprocesses, 1);
  if (singleton && numprocesses !== 0 && numprocesses !== 1) {
    throw new ConstructionError(name, `cannot have more than 1 process for a singleton watcher (numprocesses = ${numprocesses})`);
  }
  const copyEnv = bool(record.copy_env, false);
  const copyPath = bool(record.copy_path, false);
  if (copyPath && !copyEnv) throw new ConstructionError(name, 'copy_env and copy_path must have the same value');
  let env = buildWatcherEnv(record.env ?? {}, copyEnv, ctx.processEnv);
  if (copyPath) ctx.logger.debug(`${name}: copy_path has no Node equivalent; PYTHONPATH is kept as inherited`);
  const venv = record.virtualenv;
  if (venv !== undefined && venv !== null && venv !== '') {
    if (!copyEnv) throw new ConstructionError(name, 'copy_env must be True to use virtualenv');
    try {
      env = applyVirtualenv(env, String(venv), record.virtualenv_py_ver ? String(record.virtualenv_py_ver) : null);
    } catch (err) {
      throw new ConstructionError(name, (err as Error).message, { cause: err });
    }
  }
  if (numprocesses === 0 && !singleton) {
    ctx.logger.warning(`Non-singleton watcher ${name} with numprocesses=0 won't start any process`);
  }
  const restart: RestartPolicySettings = {
    minDelay: nonNegativeFloat(name, 'respawn_backoff_min', record.respawn_backoff_min, DEFAULT_RESTART_POLICY.minDelay),
    maxDelay: nonNegativeFloat(name, 'respawn_backoff_max', record.respawn_backoff_max, DEFAULT_RESTART_POLICY.maxDelay),
    minUptime: nonNegativeFloat(name, 'respawn_min_uptime', record.respawn_min_uptime, DEFAULT_RESTART_POLICY.minUptime),
    freeFailures: strictInt(name, 'respawn_backoff_after', record.respawn_backoff_after, DEFAULT_RESTART_POLICY.freeFailures),
  };
  if (restart.maxDelay < restart.minDelay) {
    throw new ConstructionError(name, 'respawn_backoff_max must not be below respawn_backoff_min');
  }
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) if (!KNOWN.has(k)) extra[k] = v;
  const args = record.args as unknown;
  const shellArgs = record.shell_args as unknown;
  return {
    name,
    cmd: String(record.cmd ?? ''),
    args: Array.isArray(args) ? [...(args as string[])] : typeof args === 'string' && args !== '' ? args : null,
    shell: bool(record.shell, false),
    shell_args: Array.isArray(shellArgs) ? [...(shellArgs as string[])] : typeof shellArgs === 'string' ? shellArgs : null,
    executable: record.executable ?? null,
    working_dir: record.working_dir ?? defaultWorkingDir(ctx),
    uid: record.uid ?? null,
    gid: record.gid ?? null,
    env,
    numprocesses,
    warmup_delay: Number(record.warmup_delay ?? 0),
    send_hup: bool(record.send_hup, false),
    stop_signal: Number(record.stop_signal ?? 15),
    stop_children: bool(record.stop_children, false),
    max_retry: Number(record.max_retry ?? 5),
    graceful_timeout: Number(record.graceful_timeout ?? 30),
    rlimits: { ...(record.rlimits ?? {}) },
    priority: Number(record.priority ?? 0),
    singleton,
    use_sockets: bool(record.use_sockets, false),
    stdin_socket: typeof record.stdin_socket === 'string' && record.stdin_socket !== '' ? record.stdin_socket : null,
    copy_env: copyEnv,
    copy_path: copyPath,
    respawn: bool(record.respawn, true),
    autostart: bool(record.autostart, true),
    on_demand: bool(record.on_demand, false),
    max_age: strictInt(name, 'max_age', record.max_age, 0),
    max_age_variance: strictInt(name, 'max_age_variance', record.max_age_variance, 30),
    close_child_stdin: bool(record.close_child_stdin, true),
    close_child_stdout: bool(record.close_child_stdout, false),
    close_child_stderr: bool(record.close_child_stderr, false),
    stdout_stream: { ...(record.stdout_stream ?? {}) },
    stderr_stream: { ...(record.stderr_stream ?? {}) },
    hooks: { ...((record.hooks ?? {}) as Readonly<Record<string, HookSpec>>) },
    restart,
    extra,
  };
}
