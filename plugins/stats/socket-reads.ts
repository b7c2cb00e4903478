/**
 * Circus's socket "reads" (spec/protocol.md 5.2): every 10 ms each circus
 * socket is polled for readability (a pending connection) and a counter
 * goes up; the streamer publishes and resets the counters every second.
 * The poll is one zero-timeout poll(2) per socket through the kernel's
 * CircusSockets; nothing is accepted.
 */
import type { CircusSockets } from '../../kernel/index';
import type { SocketReads } from './stats-collector';

/** Milliseconds between two readability polls (Circus: 10 ms). */
export const SOCKET_POLL_MS = 10;

/** Counts readable polls per socket between two {@link take} calls. */
export class SocketReadCounter {
  private readonly counts = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly sockets: CircusSockets) {}

  /** Starts polling (no-op when already polling). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.poll(), SOCKET_POLL_MS);
    // The poll must never keep a stopping daemon alive.
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Every bound socket with its count since the previous call; the counters restart at 0. */
  take(): SocketReads[] {
    const out: SocketReads[] = [];
    for (const view of this.sockets.list()) {
      if (!view.bound) continue;
      const address = view.path !== null ? view.path : `${view.host}:${view.port}`;
      out.push({ fd: view.fd, address, reads: this.counts.get(view.name) ?? 0 });
    }
    this.counts.clear();
    return out;
  }

  private poll(): void {
    for (const view of this.sockets.list()) {
      if (!view.bound) continue;
      const socket = this.sockets.get(view.name);
      if (socket?.readable()) this.counts.set(view.name, (this.counts.get(view.name) ?? 0) + 1);
    }
  }
}
