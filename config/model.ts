/**
 * The normalized configuration model (spec/daemon.md 1.9): the stage that
 * Circus's get_config produces, before any watcher, socket or stream object
 * is built. Field names are Circus's own, so `circusd --print-config` output
 * and `reloadconfig` diffs can be compared with Circus.
 *
 * Every object of this model is deeply frozen by the loader.
 */

/** `hooks.NAME = spec[, ignore_failure]` as loaded: `[spec, ignoreFailure]`. */
export type HookRecord = readonly [spec: string, ignoreFailure: boolean];

/**
 * One `[watcher:NAME]` section. The keys listed here are always present
 * (defaults of spec/daemon.md 2.1 filled in). Any other key of the section is
 * kept too: typed when the spec types it (`close_child_*`, `check_flapping`,
 * `on_demand` ...), otherwise the substituted string (free-form options such
 * as `max_age` or `flapping.attempts`).
 */
export interface WatcherRecord {
  readonly name: string;
  readonly cmd: string;
  readonly args: string;
  readonly numprocesses: number;
  readonly warmup_delay: number;
  readonly executable: string | null;
  readonly working_dir: string | null;
  readonly on_demand: boolean;
  readonly shell: boolean;
  readonly uid: string | null;
  readonly gid: string | null;
  readonly send_hup: boolean;
  readonly stop_signal: number;
  readonly stop_children: boolean;
  readonly max_retry: number;
  readonly graceful_timeout: number;
  /** rlimit name (lower-cased, without `rlimit_`) to value; -1 = unlimited. */
  readonly rlimits: Readonly<Record<string, number>>;
  /** `stdout_stream.KEY` values keyed by KEY (substituted strings). */
  readonly stdout_stream: Readonly<Record<string, string>>;
  readonly stderr_stream: Readonly<Record<string, string>>;
  readonly priority: number;
  readonly use_sockets: boolean;
  readonly singleton: boolean;
  readonly copy_env: boolean;
  readonly copy_path: boolean;
  readonly hooks: Readonly<Record<string, HookRecord>>;
  readonly respawn: boolean;
  readonly autostart: boolean;
  /**
   * The config env of this watcher: `[env]` overlaid with every matching
   * `[env:PATTERNS]` section, values NOT yet `$NAME`-expanded (that happens
   * when the watcher is created, spec/daemon.md 1.6.3 and 2.2).
   */
  readonly env: Readonly<Record<string, string>>;
  /** The section name, e.g. `watcher:web` (spec/daemon.md 1.2). */
  readonly __name__: string;
  /** Every other key of the section (typed or free-form string). */
  readonly [key: string]: unknown;
}

/** One `[socket:NAME]` section: string values, substituted, plus the typed keys below. */
export interface SocketRecord {
  /** Lower-cased text after the last `socket:`. */
  readonly name: string;
  readonly so_reuseport: boolean;
  readonly replace: boolean;
  readonly __name__: string;
  readonly [key: string]: string | boolean;
}

/** One `[plugin:NAME]` section: string values, substituted. */
export interface PluginRecord {
  /** The whole header, e.g. `plugin:flapping`. */
  readonly name: string;
  /** Present only when the section sets it. */
  readonly priority?: number;
  readonly __name__: string;
  readonly [key: string]: string | number | undefined;
}

/** The whole loaded configuration (spec/daemon.md 1.7 and 1.9). */
export interface CircusConfig {
  readonly check_delay: number;
  readonly endpoint: string;
  readonly endpoint_owner: string | null;
  readonly pubsub_endpoint: string;
  /** Empty string = discovery off (the circus-ts default, quirk Q40). */
  readonly multicast_endpoint: string;
  readonly stats_endpoint: string;
  readonly statsd: boolean;
  readonly umask: number | null;
  readonly warmup_delay: number;
  readonly httpd: boolean;
  readonly httpd_host: string;
  readonly httpd_port: number;
  /** circus-ts: scrypt hash of the panel's password/token; null = no login (loopback only). */
  readonly httpd_password_hash: string | null;
  /** circus-ts: extra Host header names the panel accepts (reverse proxy). */
  readonly httpd_allowed_hosts: readonly string[];
  /** circus-ts: the panel's session cookie is marked Secure. */
  readonly httpd_secure_cookie: boolean;
  /** circus-ts: captured child output is published on pubsub under `output.`. */
  readonly publish_output: boolean;
  /** circus-ts: the server's CURVE `.key_secret` file as written (relative to the INI's folder); null = CURVE off. */
  readonly curve_secret_key: string | null;
  /** circus-ts: authorized client keys as written: Z85 keys, `.key` files, directories. */
  readonly curve_authorized_keys: readonly string[];
  /** circus-ts: JSON-lines audit file as written; null = log only. */
  readonly audit_log: string | null;
  /** circus-ts: largest control request accepted, in bytes (default 1 MiB). */
  readonly max_request_size: number;
  /** circus-ts: requests one control client may have in flight (default 64). */
  readonly max_requests_per_client: number;
  readonly debug: boolean;
  readonly debug_gc: boolean;
  readonly pidfile: string | null;
  readonly loglevel: string | null;
  readonly logoutput: string | null;
  readonly loggerconfig: string | null;
  readonly fqdn_prefix: string | null;
  readonly watchers: readonly WatcherRecord[];
  readonly plugins: readonly PluginRecord[];
  readonly sockets: readonly SocketRecord[];
}
