/**
 * Shared pieces of the control endpoint tests: an arbiter from the kernel's
 * createArbiter with the control plugin registered, small test commands in
 * its real CommandRegistry, and a raw zeromq DEALER client.
 */
import 'reflect-metadata';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { Dealer } from 'zeromq';
import {
  answered,
  Arbiter,
  ArgumentError,
  ConflictError,
  createArbiter,
  CircusConfigOverrides,
  defaultCircusConfig,
  NotFoundError,
  started,
} from '../../../../kernel';
import { ControlPlugin } from '../../../../plugins/control';
import { MemoryLogger } from '../../../support/memory-logger';

/** A free loopback TCP port (the OS picks it; closed again before use). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Whether a loopback TCP port can be bound right now. */
export async function portIsFree(port: number): Promise<boolean> {
  const server = createServer();
  const ok = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => resolve(true));
  });
  if (ok) await new Promise<void>((resolve) => server.close(() => resolve()));
  return ok;
}

/** A promise settled from outside. */
export interface Gate<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(err: unknown): void;
}

export function gate<T>(): Gate<T> {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** A running arbiter serving the control endpoint, with test commands registered. */
export interface ControlRig {
  readonly arbiter: Arbiter;
  readonly logger: MemoryLogger;
  /** Settles the work of the background command `tslow` (a fresh gate per rig). */
  readonly slow: Gate<unknown>;
  /** Releases the lock `tlock` took. */
  readonly held: Gate<void>;
}

/**
 * Builds an arbiter (createArbiter), registers the test commands and the
 * control plugin, starts it. Commands: `tlist` (immediate), `tslow`
 * (background, settled by `slow`), `targ` (ArgumentError), `tmissing`
 * (unknown watcher), `tos` (a Node system error), `tboom` (plain Error),
 * `tlock` (takes the exclusive lock until `held` settles; a second call conflicts).
 */
export async function startRig(overrides: CircusConfigOverrides): Promise<ControlRig> {
  const logger = new MemoryLogger('circus');
  const arbiter = createArbiter({ config: defaultCircusConfig({ check_delay: 0, ...overrides }), logger });
  const slow = gate<unknown>();
  const held = gate<void>();
  const reg = arbiter.commands;
  reg.register({ name: 'tlist', properties: [], execute: async () => answered({ watchers: ['web', 'worker'], check_delay: 5 }) });
  reg.register({ name: 'tslow', properties: [], execute: async () => started(slow.promise) });
  reg.register({ name: 'targ', properties: ['name'], execute: async () => Promise.reject(new ArgumentError('signal invalid')) });
  reg.register({ name: 'tmissing', properties: [], execute: async (p) => Promise.reject(new NotFoundError('watcher', String(p.name))) });
  reg.register({ name: 'tos', properties: [], execute: async () => answered(readFileSync('/nonexistent-circus-ts-file')) });
  reg.register({ name: 'tboom', properties: [], execute: async () => Promise.reject(new Error('kaboom')) });
  reg.register({
    name: 'tlock',
    properties: [],
    execute: async () => {
      if (arbiter.lock.running !== null) throw new ConflictError(arbiter.lock.running);
      return started(arbiter.lock.run('watcher_stop', () => held.promise));
    },
  });
  arbiter.plugins.register({ name: 'control', plugin: ControlPlugin });
  await arbiter.start();
  return { arbiter, logger, slow, held };
}

/** Raw DEALER clients of one test; closes them all at the end. */
export class Clients {
  private readonly sockets: Dealer[] = [];

  /** A connected DEALER (linger 0, receive bounded by `timeoutMs`). */
  connect(endpoint: string, routingId?: string, timeoutMs = 5000): Dealer {
    const dealer = new Dealer({ linger: 0, receiveTimeout: timeoutMs, ...(routingId ? { routingId } : {}) });
    dealer.connect(endpoint);
    this.sockets.push(dealer);
    return dealer;
  }

  closeAll(): void {
    for (const s of this.sockets) if (!s.closed) s.close();
  }

  get allClosed(): boolean {
    return this.sockets.every((s) => s.closed);
  }
}

/** Sends one single-frame request (object as JSON, string or bytes as is). */
export async function send(dealer: Dealer, body: object | string | Buffer): Promise<void> {
  const frame = Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body), 'utf8');
  await dealer.send(frame);
}

/** Receives one reply (bounded by the socket's receiveTimeout); returns its frames as text. */
export async function receiveFrames(dealer: Dealer): Promise<string[]> {
  const frames = await dealer.receive();
  return frames.map((f) => f.toString('utf8'));
}

/** Sends a request and returns the single-frame reply parsed. */
export async function call(dealer: Dealer, body: object | string | Buffer): Promise<Record<string, unknown>> {
  await send(dealer, body);
  const frames = await receiveFrames(dealer);
  if (frames.length !== 1) throw new Error(`expected one reply frame, got ${frames.length}`);
  return JSON.parse(frames[0]) as Record<string, unknown>;
}

/** The control socket file of an ipc endpoint exists. */
export function ipcFileExists(file: string): boolean {
  return existsSync(file);
}
