/**
 * The watchdog plugin (spec/daemon.md 6.7, Circus
 * `circus.plugins.watchdog.WatchDog`): processes of the matching watchers
 * send UDP heartbeats (`<pid>;<timestamp>` by default) to `ip:port`; every
 * `loop_rate` seconds, a process silent for more than `loop_rate ×
 * max_count` seconds is killed with the `kill` command, and its watcher
 * replaces it.
 */
import 'reflect-metadata';
import { createSocket, type Socket } from 'node:dgram';
import { constants as osConstants } from 'node:os';
import { inject, injectable } from 'tsyringe';
import {
  DisposableStore,
  epochSeconds,
  errorMessage,
  PluginContext,
  PluginOptions,
  pyRepr,
  type CircusPlugin,
} from '../../kernel/index';
import { WatchdogOptionError } from './errors';
import { HeartbeatTable } from './heartbeat-table';
import { compilePythonRegex, pyMatch } from './python-regex';

/** The options of a `[plugin:NAME]` section using the watchdog (typed by the descriptor's schema). */
export interface WatchdogOptions {
  readonly loop_rate: number;
  readonly watchers_regex: string;
  readonly msg_regex: string;
  readonly max_count: number;
  readonly ip: string;
  readonly port: number;
  readonly watchers_stop_signal?: string;
  readonly watchers_graceful_timeout?: number;
}

/** Circus's default heartbeat format: `<pid>;<timestamp>`. */
export const DEFAULT_MSG_REGEX = '^(?P<pid>.*);(?P<timestamp>.*)$';

/** Bytes of a datagram that are read (Circus's `recvfrom(1024)`); the rest is dropped. */
export const MAX_HEARTBEAT_BYTES = 1024;

/** Circus's `to_signum`: a number, or a signal name with or without `SIG`, any case. */
export function toSignalNumber(value: string): number {
  const text = value.trim();
  if (/^[+-]?\d+$/.test(text)) return Number(text);
  const upper = text.toUpperCase();
  const name = (upper.startsWith('SIG') ? upper : `SIG${upper}`) as keyof typeof osConstants.signals;
  const signum = osConstants.signals[name];
  if (signum === undefined) throw new WatchdogOptionError('watchers_stop_signal', `unknown signal '${value}'`);
  return signum;
}

/** The named groups a pattern defines (matched against the empty alternative). */
function groupNames(re: RegExp): string[] {
  const probe = new RegExp(`${re.source}|`, re.flags.replace('y', ''));
  return Object.keys(probe.exec('')?.groups ?? {});
}

@injectable()
export class WatchdogPlugin implements CircusPlugin {
  private readonly table = new HeartbeatTable();
  private owned = new DisposableStore();
  private socket: Socket | null = null;
  private watchers: RegExp = /(?:)/y;
  private heartbeat: RegExp = /(?:)/y;
  private signum: number | null = null;
  /** The first period discovers the pids of the matching watchers (Circus's `starting`). */
  private discovered = false;

  constructor(
    @inject(PluginContext) private readonly ctx: PluginContext,
    @inject(PluginOptions) private readonly options: WatchdogOptions,
  ) {}

  /**
   * Checks the patterns and the signal (WatchdogOptionError), subscribes
   * to spawn/reap, binds the UDP socket and starts the period. A socket
   * that cannot be bound is logged, as in Circus: the plugin then runs
   * without receiving heartbeats.
   */
  async start(): Promise<void> {
    const o = this.options;
    if (!(o.loop_rate > 0)) throw new WatchdogOptionError('loop_rate', `must be a positive number of seconds, got ${o.loop_rate}`);
    this.watchers = compilePythonRegex('watchers_regex', o.watchers_regex);
    this.heartbeat = compilePythonRegex('msg_regex', o.msg_regex);
    if (!groupNames(this.heartbeat).includes('pid')) {
      throw new WatchdogOptionError('msg_regex', `'${o.msg_regex}' must define a named group 'pid', e.g. (?P<pid>\\d+)`);
    }
    this.signum = o.watchers_stop_signal ? toSignalNumber(o.watchers_stop_signal) : null;
    this.discovered = false;
    this.table.clear();
    this.owned = new DisposableStore();
    this.owned.add(this.ctx.on('spawn', (e) => this.onSpawn(e.watcher, e.payload.process_pid)));
    this.owned.add(this.ctx.on('reap', (e) => this.onReap(e.watcher, e.payload.process_pid)));
    await this.bind();
    this.owned.add(this.ctx.every(o.loop_rate, () => this.lookAfter()));
  }

  async stop(): Promise<void> {
    this.owned.dispose();
    const socket = this.socket;
    this.socket = null;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  /** The monitored processes (for diagnostics and tests). */
  monitored(): ReturnType<HeartbeatTable['entries']> {
    return this.table.entries();
  }

  /** The UDP port heartbeats are received on, or null when the socket could not be bound. */
  get boundPort(): number | null {
    return this.socket ? this.socket.address().port : null;
  }

  private matches(watcher: string): boolean {
    return pyMatch(this.watchers, watcher) !== null;
  }

  private onSpawn(watcher: string, pid: number): void {
    const name = watcher.toLowerCase();
    if (!this.matches(name)) return;
    this.table.monitor(String(pid), name, epochSeconds());
    this.ctx.logger.info(`added new monitored pid for ${name}:${pid}`);
  }

  private onReap(watcher: string, pid: number): void {
    const name = watcher.toLowerCase();
    if (!this.matches(name)) return;
    const was = this.table.forget(String(pid));
    if (was !== undefined) this.ctx.logger.info(`removed monitored pid for ${was}:${pid}`);
  }

  private async bind(): Promise<void> {
    const { ip, port } = this.options;
    const socket = createSocket({ type: ip.includes(':') ? 'udp6' : 'udp4' });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind({ address: ip, port, exclusive: true }, () => {
          socket.off('error', reject);
          resolve();
        });
      });
    } catch (err) {
      socket.close();
      this.ctx.logger.error(`Problem while binding watchdog socket on ${ip}:${port} (err ${errorMessage(err)})`);
      return;
    }
    socket.on('message', (data) => this.onDatagram(data));
    socket.on('error', (err) => this.ctx.logger.error(`watchdog socket on ${ip}:${port}: ${errorMessage(err)}`));
    this.socket = socket;
    // The bound port, which differs from the option only for `port = 0`.
    this.ctx.logger.info(`Watchdog listening UDP on ${ip}:${socket.address().port}`);
  }

  private onDatagram(data: Buffer): void {
    const text = data.subarray(0, MAX_HEARTBEAT_BYTES).toString('utf8');
    const match = pyMatch(this.heartbeat, text);
    if (!match) {
      // Circus raises here and loses the socket handler (Q29): log and go on.
      this.ctx.logger.warning(`watchdog: ignoring a datagram that does not match msg_regex: ${pyRepr(text)}`);
      return;
    }
    const groups: Record<string, string | null> = {};
    for (const [k, v] of Object.entries(match.groups ?? {})) groups[k] = v ?? null;
    const pid = groups.pid;
    if (pid !== null && pid !== undefined && !this.table.touch(pid, epochSeconds())) {
      this.ctx.logger.warning(`received watchdog for a non monitored process:${pyRepr(groups)}`);
    }
    this.ctx.logger.debug(`watchdog message: ${pyRepr(groups)}`);
  }

  /** One period: discovery the first time, then kill every process silent for too long. */
  private async lookAfter(): Promise<void> {
    if (!this.discovered) {
      await this.discover();
      this.discovered = true;
    }
    const maxAge = this.options.loop_rate * this.options.max_count;
    for (const stale of this.table.takeStale(epochSeconds(), maxAge)) {
      this.ctx.logger.info(`watcher:${stale.watcher}, pid:${stale.pid} is not responding. Kill it !`);
      const props: Record<string, unknown> = { name: stale.watcher, pid: Number(stale.pid) };
      if (this.signum) props.signum = this.signum;
      if (this.options.watchers_graceful_timeout) props.graceful_timeout = this.options.watchers_graceful_timeout;
      // The watcher replaces the killed process; its spawn event brings the new pid.
      this.ctx.cast('kill', props);
    }
  }

  /** Replaces the table with the live pids of every matching watcher (`list`). */
  private async discover(): Promise<void> {
    this.table.clear();
    const all = await this.ctx.call('list');
    const names = Array.isArray(all.watchers) ? (all.watchers as unknown[]).map(String) : [];
    for (const name of names) {
      if (!this.matches(name)) continue;
      let pids: unknown[] = [];
      try {
        const reply = await this.ctx.call('list', { name });
        if (Array.isArray(reply.pids)) pids = reply.pids;
      } catch (err) {
        this.ctx.logger.warning(`watchdog: cannot list the processes of ${name}: ${errorMessage(err)}`);
        continue;
      }
      const now = epochSeconds();
      for (const pid of pids) {
        this.table.monitor(String(pid), name, now);
        this.ctx.logger.info(`discovered: ${name}, pid:${String(pid)}`);
      }
    }
  }
}
