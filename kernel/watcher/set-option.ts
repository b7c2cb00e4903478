import { HookRecord } from '../../config/model';
import { ArgumentError } from '../errors';
import { strictInt, WatcherSettings } from './watcher-settings';

/**
 * What a runtime option change requires (spec/daemon.md 2.16): a graceful
 * reload, a process-management run, a stream swap, or nothing.
 */
export type SetAction = 'reload' | 'manage' | 'stream' | 'none';

const RANK: Record<SetAction, number> = { none: 0, stream: 1, manage: 2, reload: 3 };

/** The action that covers both (a reload also re-manages, and so on). */
export function strongerAction(a: SetAction, b: SetAction): SetAction {
  return RANK[b] > RANK[a] ? b : a;
}

const RELOAD = new Set(['working_dir', 'uid', 'gid', 'shell', 'env', 'cmd', 'args', 'max_age', 'max_age_variance']);
const MANAGE = new Set(['numprocesses', 'warmup_delay', 'send_hup', 'stop_signal', 'stop_children']);

function toBool(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  return ['1', 'yes', 'true', 'on'].includes(String(value).trim().toLowerCase());
}

function toNumber(key: string, value: unknown): number {
  const n = typeof value === 'number' ? value : Number(String(value).trim());
  if (!Number.isFinite(n) || String(value).trim() === '') throw new ArgumentError(`option '${key}': '${String(value)}' is not a number`);
  return n;
}

/**
 * Stores one changed option in `s` (converted like the config would) and
 * returns the action it calls for. Throws ArgumentError on a bad value.
 */
export function applySettingChange(s: WatcherSettings, key: string, value: unknown): SetAction {
  const w = s.name;
  if (key.startsWith('hooks.')) {
    const spec = String(value).split(',');
    const record: HookRecord = [spec[0].trim(), toBool(spec[1] ?? 'false')];
    s.hooks = { ...s.hooks, [key.slice(6)]: record };
    return 'manage';
  }
  if (key.startsWith('stdout_stream.') || key.startsWith('stderr_stream.')) {
    const [which, sub] = [key.slice(0, 13), key.slice(14)];
    const target = which === 'stdout_stream' ? 'stdout_stream' : 'stderr_stream';
    s[target] = { ...s[target], [sub]: String(value) };
    return 'stream';
  }
  switch (key) {
    case 'numprocesses': {
      const n = Math.max(0, Math.trunc(toNumber(key, value)));
      if (s.singleton && n > 1) throw new ArgumentError(`watcher '${w}' is a singleton: numprocesses cannot exceed 1`);
      s.numprocesses = n;
      break;
    }
    case 'warmup_delay':
    case 'stop_signal':
    case 'graceful_timeout':
      s[key] = toNumber(key, value);
      break;
    case 'send_hup':
    case 'stop_children':
    case 'shell':
      s[key] = toBool(value);
      break;
    case 'max_age':
    case 'max_age_variance':
      try {
        s[key] = strictInt(w, key, value, s[key]);
      } catch (err) {
        throw new ArgumentError((err as Error).message);
      }
      break;
    case 'env':
      if (value === null || typeof value !== 'object') throw new ArgumentError(`option 'env' of '${w}' must be a map`);
      s.env = Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
      break;
    case 'working_dir':
    case 'cmd':
      s[key] = String(value);
      break;
    case 'uid':
    case 'gid':
      s[key] = value === null || value === '' ? null : String(value);
      break;
    case 'args':
      s.args = Array.isArray(value) ? value.map(String) : value === null || value === '' ? null : String(value);
      break;
    default:
      s.extra = { ...s.extra, [key]: value };
      return 'none';
  }
  if (RELOAD.has(key)) return 'reload';
  if (MANAGE.has(key)) return 'manage';
  return 'none';
}
