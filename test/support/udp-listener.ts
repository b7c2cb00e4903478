import { createSocket, type Socket } from 'node:dgram';

/**
 * A real UDP listener on 127.0.0.1 and a free port, standing in for a
 * statsd server: it keeps every datagram as text.
 */
export class UdpListener {
  readonly lines: string[] = [];
  private socket: Socket | null = null;
  port = 0;

  /** Binds to 127.0.0.1 on a port the OS picks. */
  async start(): Promise<this> {
    const socket = createSocket('udp4');
    socket.on('message', (msg) => this.lines.push(msg.toString('utf8')));
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, '127.0.0.1', () => {
        socket.off('error', reject);
        resolve();
      });
    });
    this.socket = socket;
    this.port = socket.address().port;
    return this;
  }

  /** Lines whose text contains `fragment`. */
  matching(fragment: string): string[] {
    return this.lines.filter((l) => l.includes(fragment));
  }

  async close(): Promise<void> {
    const socket = this.socket;
    this.socket = null;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }
}
