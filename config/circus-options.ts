/**
 * The `[circus]` section (spec/daemon.md 1.7): every option with its
 * default and its config-time cast.
 */

import { toBool, toFloat, toInt } from './cast';
import { EnvSubstituter } from './env';
import { IniDocument } from './ini-document';
import { ProblemSink } from './option-reader';

/** Circus's default endpoints (circus/util.py in Circus 0.19.0). */
export const DEFAULT_ENDPOINT = 'tcp://127.0.0.1:5555';
export const DEFAULT_PUBSUB_ENDPOINT = 'tcp://127.0.0.1:5556';
export const DEFAULT_STATS_ENDPOINT = 'tcp://127.0.0.1:5557';
/** Circus's multicast default; circus-ts leaves discovery off unless set (quirk Q40). */
export const CIRCUS_MULTICAST_ENDPOINT = 'udp://237.219.251.97:12027';

/** The `[circus]` part of the model (everything but the three record lists). */
export interface CircusOptions {
  check_delay: number;
  endpoint: string;
  endpoint_owner: string | null;
  pubsub_endpoint: string;
  multicast_endpoint: string;
  stats_endpoint: string;
  statsd: boolean;
  umask: number | null;
  warmup_delay: number;
  httpd: boolean;
  httpd_host: string;
  httpd_port: number;
  /** circus-ts: scrypt hash of the panel's password/token (`circushttpd hash-password`); null = no login. */
  httpd_password_hash: string | null;
  /** circus-ts: extra Host header names the panel accepts (a reverse proxy's public name). */
  httpd_allowed_hosts: readonly string[];
  /** circus-ts: mark the panel's session cookie Secure (the panel sits behind a TLS proxy). */
  httpd_secure_cookie: boolean;
  /** circus-ts: publish captured child output on pubsub under `output.<watcher>.<stream>`. */
  publish_output: boolean;
  /** circus-ts: the server's CURVE `.key_secret` file (raw, relative to the INI's folder); null = CURVE off. */
  curve_secret_key: string | null;
  /** circus-ts: authorized client keys: Z85 keys, `.key` files or directories of them (raw items). */
  curve_authorized_keys: readonly string[];
  /** circus-ts: JSON-lines audit file (raw path); null = the audit goes to the log only. */
  audit_log: string | null;
  /** circus-ts: largest control request accepted, in bytes. */
  max_request_size: number;
  /** circus-ts: requests one control client may have in flight at once. */
  max_requests_per_client: number;
  debug: boolean;
  debug_gc: boolean;
  pidfile: string | null;
  loglevel: string | null;
  logoutput: string | null;
  loggerconfig: string | null;
  fqdn_prefix: string | null;
}

/** The `[circus]` defaults of spec/daemon.md 1.7 (discovery off, quirk Q40). */
export function circusDefaults(): CircusOptions {
  return {
    check_delay: 5.0,
    endpoint: DEFAULT_ENDPOINT,
    endpoint_owner: null,
    pubsub_endpoint: DEFAULT_PUBSUB_ENDPOINT,
    multicast_endpoint: '',
    stats_endpoint: DEFAULT_STATS_ENDPOINT,
    statsd: false,
    umask: null,
    warmup_delay: 0,
    httpd: false,
    httpd_host: 'localhost',
    httpd_port: 8080,
    httpd_password_hash: null,
    httpd_allowed_hosts: [],
    httpd_secure_cookie: false,
    publish_output: false,
    curve_secret_key: null,
    curve_authorized_keys: [],
    audit_log: null,
    max_request_size: 1024 * 1024,
    max_requests_per_client: 64,
    debug: false,
    debug_gc: false,
    pidfile: null,
    loglevel: null,
    logoutput: null,
    loggerconfig: null,
    fqdn_prefix: null,
  };
}

/**
 * Reads `[circus]` with `$(circus.env.*)` substitution against the global
 * env. Cast failures go to `sink`; `warnings` gets the deprecation notice
 * of quirk Q6.
 */
export function readCircusOptions(
  doc: IniDocument,
  globalEnv: EnvSubstituter,
  sink: ProblemSink,
  warnings: string[],
): CircusOptions {
  const S = 'circus';
  const str = (key: string): string | null => {
    if (!doc.hasOption(S, key)) return null;
    return globalEnv.apply(doc.get(S, key)!.value);
  };
  const typed = <T>(key: string, def: T, cast: (s: string) => T): T => {
    if (!doc.hasOption(S, key)) return def;
    const at = doc.get(S, key)!;
    return sink.cast(at, S, key, globalEnv.apply(at.value), cast, def);
  };

  const statsEndpoint = str('stats_endpoint');
  let statsd = typed('statsd', false, toBool);
  if (statsEndpoint !== null && !statsd) {
    // Quirk Q6 (replicated): naming a stats endpoint turns the streamer on.
    warnings.push(
      `[circus] stats_endpoint is set, so statsd is turned on (as Circus does); set statsd = true to silence this warning`,
    );
    statsd = true;
  }

  let umask: number | null = null;
  const umaskText = str('umask');
  if (umaskText) {
    umask = sink.cast(doc.get(S, 'umask')!, S, 'umask', umaskText, (s) => toInt(s, 8), null);
  }

  const d = circusDefaults();
  const httpd = typed('httpd', d.httpd, toBool);
  const httpdHost = str('httpd_host') ?? d.httpd_host;
  const passwordHash = readPasswordHash(doc, str('httpd_password_hash'), sink);
  if (httpd && passwordHash === null && !isLoopbackHost(httpdHost)) {
    // The panel can start any command: beyond loopback it never runs without a login.
    const at = doc.get(S, 'httpd_host')!;
    sink.add(
      at,
      S,
      'httpd_host',
      `the web panel would listen on ${httpdHost}, beyond loopback, without a login: ` +
        `set httpd_password_hash (make one with "circushttpd hash-password") or bind httpd_host to 127.0.0.1`,
    );
  }
  const curveSecretKey = nonEmpty(str('curve_secret_key'));
  const authorizedKeys = splitList(str('curve_authorized_keys'));
  if (curveSecretKey !== null && authorizedKeys.length === 0) {
    sink.add(
      doc.get(S, 'curve_secret_key')!,
      S,
      'curve_secret_key',
      'CURVE is on but curve_authorized_keys is empty: no client could connect; list the client keys ' +
        '(Z85 keys, .key files or directories of them; make them with "circusctl keygen NAME")',
    );
  }
  if (curveSecretKey === null && authorizedKeys.length > 0) {
    sink.add(
      doc.get(S, 'curve_authorized_keys')!,
      S,
      'curve_authorized_keys',
      'curve_authorized_keys is set but curve_secret_key is not: set the server key too, or CURVE stays off',
    );
  }
  const atLeast = (key: string, def: number, min: number): number => {
    const n = typed(key, def, toInt);
    if (n >= min) return n;
    sink.add(doc.get(S, key)!, S, key, `must be at least ${min}, got ${n}`);
    return def;
  };
  return {
    check_delay: typed('check_delay', d.check_delay, toFloat),
    endpoint: str('endpoint') ?? d.endpoint,
    endpoint_owner: str('endpoint_owner'),
    pubsub_endpoint: str('pubsub_endpoint') ?? d.pubsub_endpoint,
    multicast_endpoint: str('multicast_endpoint') ?? d.multicast_endpoint,
    stats_endpoint: statsEndpoint ?? d.stats_endpoint,
    statsd,
    umask,
    warmup_delay: typed('warmup_delay', d.warmup_delay, toInt),
    httpd,
    httpd_host: httpdHost,
    httpd_port: typed('httpd_port', d.httpd_port, toInt),
    httpd_password_hash: passwordHash,
    httpd_allowed_hosts: splitList(str('httpd_allowed_hosts')),
    httpd_secure_cookie: typed('httpd_secure_cookie', d.httpd_secure_cookie, toBool),
    publish_output: typed('publish_output', d.publish_output, toBool),
    curve_secret_key: curveSecretKey,
    curve_authorized_keys: authorizedKeys,
    audit_log: nonEmpty(str('audit_log')),
    max_request_size: atLeast('max_request_size', d.max_request_size, 1024),
    max_requests_per_client: atLeast('max_requests_per_client', d.max_requests_per_client, 1),
    debug: typed('debug', d.debug, toBool),
    debug_gc: typed('debug_gc', d.debug_gc, toBool),
    pidfile: str('pidfile'),
    loglevel: str('loglevel'),
    logoutput: str('logoutput'),
    loggerconfig: str('loggerconfig'),
    fqdn_prefix: str('fqdn_prefix'),
  };
}

/** The form `circushttpd hash-password` writes: `scrypt$N$r$p$salt$hash`, salt and hash in base64. */
export const PASSWORD_HASH_PATTERN = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/=]{16,})\$([A-Za-z0-9+/=]{40,})$/;

function readPasswordHash(doc: IniDocument, text: string | null, sink: ProblemSink): string | null {
  if (text === null || text.trim() === '') return null;
  const value = text.trim();
  const m = PASSWORD_HASH_PATTERN.exec(value);
  const cost = m ? Number(m[1]) : 0;
  if (!m || cost < 2 || (cost & (cost - 1)) !== 0) {
    sink.add(
      doc.get('circus', 'httpd_password_hash')!,
      'circus',
      'httpd_password_hash',
      'not a password hash: expected scrypt$N$r$p$salt$hash as written by "circushttpd hash-password" (never the password itself)',
    );
    return null;
  }
  return value;
}

function nonEmpty(text: string | null): string | null {
  return text === null || text.trim() === '' ? null : text.trim();
}

/** A comma- or newline-separated list, trimmed, empty entries dropped. */
function splitList(text: string | null): string[] {
  if (text === null) return [];
  return text
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** True when `host` names only the loopback interface (localhost, 127.0.0.0/8, ::1). */
export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}
