/**
 * Which circusd endpoints are reachable beyond this host without CURVE
 * (issue 9): circusd says so loudly at start, and `globaloptions` carries
 * the same texts in a top-level `warnings` field. The rule is deliberately
 * conservative: only addresses that are loopback by their very text
 * (127.x, ::1, localhost) and ipc:// / inproc:// count as local; a host
 * name or an interface name may be anything, so it is warned about.
 */
import { isLoopbackHost } from '../config/circus-options';

/** The endpoint options the warnings look at. */
export interface ExposureOptions {
  readonly endpoint: string;
  readonly pubsub_endpoint: string;
  readonly stats_endpoint: string;
  /** The stats endpoint is bound only when the stats streamer runs. */
  readonly statsd: boolean;
  /** CURVE is on when set: then nothing is said. */
  readonly curve_secret_key: string | null;
}

/** IPv4-mapped and long forms of loopback that isLoopbackHost does not spell out. */
function isLoopbackSpelling(host: string): boolean {
  const h = host.toLowerCase();
  if (isLoopbackHost(h)) return true;
  const mapped = /^::ffff:(.+)$/.exec(h);
  if (mapped && isLoopbackHost(mapped[1])) return true;
  return /^(0{1,4}:){7}0{0,3}1$/.test(h);
}

/**
 * The host part of a network endpoint (`tcp://HOST:PORT`, `ws://HOST:PORT/path`),
 * brackets removed; null for a local transport (ipc, inproc) or text that
 * is not `scheme://...`.
 */
export function endpointHost(endpoint: string): { scheme: string; host: string } | null {
  const m = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(endpoint.trim());
  if (!m) return null;
  const scheme = m[1].toLowerCase();
  if (scheme === 'ipc' || scheme === 'inproc') return null;
  // `ws://host:port/path`: the path is not part of the address.
  let rest = scheme === 'ws' || scheme === 'wss' ? m[2].replace(/\/.*$/, '') : m[2];
  // A connect-style `source;destination` is never bound; the bound side is the source.
  rest = rest.split(';')[0];
  const bracketed = /^\[([^\]]*)\](?::.*)?$/.exec(rest);
  if (bracketed) return { scheme, host: bracketed[1] };
  const colon = rest.lastIndexOf(':');
  return { scheme, host: colon >= 0 ? rest.slice(0, colon) : rest };
}

/**
 * True when a socket bound on `endpoint` may be reached from another host:
 * any network endpoint whose host is not loopback by its text (`*`,
 * 0.0.0.0, `::`, a LAN address, a host or interface name). ipc:// and
 * inproc:// are local; text that is not an endpoint at all counts as
 * exposed, since it cannot be shown to be local.
 */
export function isBeyondLoopback(endpoint: string): boolean {
  const trimmed = endpoint.trim();
  if (/^(ipc|inproc):\/\//i.test(trimmed)) return false;
  const parsed = endpointHost(trimmed);
  if (parsed === null) return true;
  return !isLoopbackSpelling(parsed.host);
}

/** What each endpoint gives away to whoever connects. */
const EXPOSED = {
  endpoint: ['control endpoint', "can run any command as circusd's user (add a watcher, signal or stop any process, quit)"],
  pubsub_endpoint: ['pubsub endpoint', 'can read every event (watcher names, pids, and child output with publish_output)'],
  stats_endpoint: ['stats endpoint', 'can read the stats of every process'],
} as const;

/**
 * The warning texts, one per endpoint bound beyond loopback without CURVE
 * (empty with CURVE on, or when everything is local). Each names the key,
 * the endpoint, what is exposed and the two ways out.
 */
export function exposureWarnings(options: ExposureOptions): string[] {
  if (options.curve_secret_key !== null) return [];
  const keys: (keyof typeof EXPOSED)[] = ['endpoint', 'pubsub_endpoint'];
  if (options.statsd) keys.push('stats_endpoint');
  const out: string[] = [];
  for (const key of keys) {
    const endpoint = options[key];
    if (!isBeyondLoopback(endpoint)) continue;
    const [what, risk] = EXPOSED[key];
    out.push(
      `SECURITY WARNING: the ${what} (${key} = ${endpoint}) is bound beyond loopback without authentication ` +
        `or encryption: anyone who can reach it ${risk}. Turn CURVE on ([circus] curve_secret_key and ` +
        `curve_authorized_keys, see docs/security.md) or bind it to 127.0.0.1 or an ipc:// path.`,
    );
  }
  return out;
}
