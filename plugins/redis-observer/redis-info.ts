
/** The INFO fields RedisObserver reports as gauges `redis_stats.<key>`, in Circus's order (spec/daemon.md 6.11). */
export const REDIS_GAUGES = [
  'pubsub_channels', 'connected_slaves', 'lru_clock', 'connected_clients', 'keyspace_misses', 'used_memory',
  'used_memory_peak', 'total_commands_processed', 'used_memory_rss', 'total_connections_received', 'pubsub_patterns',
  'used_cpu_sys', 'used_cpu_sys_children', 'blocked_clients', 'used_cpu_user', 'client_biggest_input_buf',
  'mem_fragmentation_ratio', 'expired_keys', 'evicted_keys', 'client_longest_output_list', 'uptime_in_seconds',
  'keyspace_hits',
] as const;

/** `key:value` lines of an INFO reply (section headers and blank lines skipped). */
export function parseInfo(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon > 0) out.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return out;
}

/** Something that can be cancelled while a query is in flight (plugin stop). */
export interface InfoQuery {
  readonly result: Promise<Map<string, string>>;
  cancel(): void;
}

/**
 * Connects to `url`, runs INFO and disconnects. `timeoutSeconds` bounds the
 * connection and each read (spec 6.11, TS). A fresh connection per period:
 * the period is long and a dead server must fail the next check, not wait
 * for a reconnect loop. Rejects on any failure.
 */
export function queryInfo(url: string, timeoutSeconds: number): InfoQuery {
  const ms = Math.max(1, Math.round(timeoutSeconds * 1000));
  let cancelled = false;
  let destroy: (() => void) | null = null;
  const run = async (): Promise<Map<string, string>> => {
    // Loaded on first use: circusd loads every built-in plugin's module, and most never talk to redis.
    const { createClient } = await import('@redis/client');
    const client = createClient({ url, socket: { connectTimeout: ms, socketTimeout: ms, reconnectStrategy: false } });
    destroy = () => {
      if (client.isOpen) client.destroy();
    };
    // The client also emits every failure as an event; the awaited calls below carry them to the caller.
    let lastError: Error | null = null;
    client.on('error', (err: Error) => (lastError = err));
    try {
      if (cancelled) throw new Error('cancelled: the plugin is stopping');
      await client.connect();
      return parseInfo(await client.info());
    } catch (err) {
      throw lastError && err !== lastError ? new Error(`${(err as Error).message} (${(lastError as Error).message})`) : err;
    } finally {
      destroy();
    }
  };
  return {
    result: run(),
    cancel: () => {
      cancelled = true;
      destroy?.();
    },
  };
}
