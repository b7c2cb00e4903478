/**
 * What the bridge learns from `globaloptions` (spec/protocol.md 2.5, and the
 * panel contract's top-level `publish_output`): where the daemon publishes
 * events and stats, how often to poll it, whether it publishes output.
 * Pure functions, no I/O.
 */

/** The daemon's channels and timings as the bridge uses them. */
export interface DaemonChannels {
  /** The pub/sub endpoint, wildcard host replaced (null when the reply has none). */
  readonly pubsub: string | null;
  /** The stats endpoint, wildcard host replaced (null when the reply has none). */
  readonly stats: string | null;
  /** Seconds between periodic state refreshes. */
  readonly checkDelay: number;
  /** Whether the daemon publishes child output under `output.` (circus-ts only). */
  readonly publishOutput: boolean;
}

/** check_delay used when the reply lacks a usable one (Circus's config default). */
export const DEFAULT_CHECK_DELAY = 5;
/** Bounds of the refresh period: faster would load the daemon, slower makes the page stale. */
export const MIN_CHECK_DELAY = 0.5;
export const MAX_CHECK_DELAY = 60;

const TCP = /^tcp:\/\/(\[[^\]]*\]|[^:/]*):(.*)$/;
/** Hosts that mean "every interface" when bound, so cannot be connected to as such. */
const WILDCARDS = new Set(['', '*', '0.0.0.0', '[::]', '[::0]']);

/**
 * The host part of a tcp endpoint (`tcp://10.0.0.5:5555` -> `10.0.0.5`,
 * brackets kept for IPv6), or null for any other transport.
 */
export function endpointHost(endpoint: string): string | null {
  const m = TCP.exec(endpoint);
  return m === null ? null : m[1];
}

/**
 * An endpoint a client can connect to: a tcp endpoint bound on a wildcard
 * host (`0.0.0.0`, `*`, empty, `[::]`) gets the control endpoint's host,
 * as circus-web does; when the control endpoint is not tcp (ipc), the
 * daemon is on this machine, so 127.0.0.1. Anything else is returned as is.
 */
export function connectableEndpoint(endpoint: string, controlEndpoint: string): string {
  const m = TCP.exec(endpoint);
  if (m === null || !WILDCARDS.has(m[1])) return endpoint;
  const controlHost = endpointHost(controlEndpoint);
  const host = controlHost === null || WILDCARDS.has(controlHost) ? '127.0.0.1' : controlHost;
  return `tcp://${host}:${m[2]}`;
}

function stringField(options: Record<string, unknown>, key: string, controlEndpoint: string): string | null {
  const value = options[key];
  return typeof value === 'string' && value !== '' ? connectableEndpoint(value, controlEndpoint) : null;
}

/**
 * Reads a `globaloptions` reply. Throws an Error naming the endpoint when
 * the reply is not an ok reply with an `options` object (an error reply,
 * or something that is not a circusd).
 */
export function readGlobalOptions(reply: Record<string, unknown>, controlEndpoint: string): DaemonChannels {
  const options = reply.options;
  if (reply.status !== 'ok' || options === null || typeof options !== 'object' || Array.isArray(options)) {
    const reason = typeof reply.reason === 'string' ? reply.reason : JSON.stringify(reply);
    throw new Error(`globaloptions of ${controlEndpoint} failed: ${reason}`);
  }
  const opts = options as Record<string, unknown>;
  const delay = typeof opts.check_delay === 'number' && Number.isFinite(opts.check_delay) && opts.check_delay > 0 ? opts.check_delay : DEFAULT_CHECK_DELAY;
  return {
    pubsub: stringField(opts, 'pubsub_endpoint', controlEndpoint),
    stats: stringField(opts, 'stats_endpoint', controlEndpoint),
    checkDelay: Math.min(MAX_CHECK_DELAY, Math.max(MIN_CHECK_DELAY, delay)),
    // Top level only: `options` stays exactly Circus's five keys.
    publishOutput: reply.publish_output === true,
  };
}

/** Whether two readings differ in anything the subscriptions depend on. */
export function channelsChanged(a: DaemonChannels, b: DaemonChannels): boolean {
  return a.pubsub !== b.pubsub || a.stats !== b.stats || a.publishOutput !== b.publishOutput;
}

/** Delays between reconnection attempts: 1 s, 2 s, 4 s, then every 5 s. */
export function retryDelayMs(failures: number): number {
  return Math.min(5000, 1000 * 2 ** Math.max(0, Math.min(failures - 1, 10)));
}
