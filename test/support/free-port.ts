/**
 * Loopback TCP ports for tests and benches: one held by a listener (to see
 * a program fail on a port in use), and one the OS picks and releases (for
 * a program under test to bind). Only 127.0.0.1 is ever bound.
 */
import * as net from 'node:net';

/** A loopback port held by a listener until `close()`. */
export interface HeldPort {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Holds a port on 127.0.0.1 with a plain TCP listener: the OS picks it, so
 * no other test can have been given it between the pick and the bind.
 */
export function holdPort(): Promise<HeldPort> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      resolve({ port, close: () => new Promise<void>((done) => server.close(() => done())) });
    });
  });
}

/** A TCP port free on 127.0.0.1 right now (the OS picks it; closed again before use). */
export async function freePort(): Promise<number> {
  const held = await holdPort();
  await held.close();
  return held.port;
}
