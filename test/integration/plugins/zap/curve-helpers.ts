/**
 * Raw zeromq clients for the CURVE tests: DEALER and SUB sockets built with
 * the CURVE client options by hand (what protocol/client.ts and
 * protocol/subscriber.ts do for the real tools), each watching its own
 * handshake through the socket monitor, so a test can tell "refused by
 * ZAP" from "not connected yet" without sleeping.
 */
import * as fs from 'node:fs';
import { Dealer, Subscriber, type Socket } from 'zeromq';
import type { CurveKeyPair } from '../../../../protocol/curve';
import { waitFor } from '../../cli/circusd-harness';

/** How a client presents itself: no key, or a pair (routing id `curve:<public>` on DEALERs). */
export type ClientKey = CurveKeyPair | null;

/** What the monitor of one socket saw. */
export interface Handshakes {
  ok: number;
  /** `handshake:error:auth`: the ZAP handler said no. */
  auth: number;
  /** `handshake:error:protocol` / `other`: the mechanisms do not match (a keyless client of a CURVE server). */
  failed: number;
}

function curveOptions(serverKey: string | null, key: ClientKey): Record<string, string> {
  if (key === null || serverKey === null) return {};
  return { curveServerKey: serverKey, curvePublicKey: key.publicKey, curveSecretKey: key.secretKey };
}

/** Every socket of one test; `closeAll` in afterEach, then `allClosed` is checked. */
export class RawClients {
  private readonly sockets: Socket[] = [];
  private readonly loops: Promise<void>[] = [];

  private watch(socket: Socket): Handshakes {
    const seen: Handshakes = { ok: 0, auth: 0, failed: 0 };
    socket.events.on('handshake', () => (seen.ok += 1));
    socket.events.on('handshake:error:auth', () => (seen.auth += 1));
    socket.events.on('handshake:error:protocol', () => (seen.failed += 1));
    socket.events.on('handshake:error:other', () => (seen.failed += 1));
    return seen;
  }

  /** A DEALER on `endpoint`; with a key it speaks CURVE to `serverKey`. */
  dealer(endpoint: string, serverKey: string | null, key: ClientKey, routingId?: string): { socket: Dealer; seen: Handshakes } {
    const id = routingId ?? (key !== null ? `curve:${key.publicKey}` : undefined);
    const socket = new Dealer({
      linger: 0,
      receiveTimeout: 5000,
      sendTimeout: 2000,
      ...(id !== undefined ? { routingId: id } : {}),
      ...curveOptions(serverKey, key),
    });
    const seen = this.watch(socket);
    socket.connect(endpoint);
    this.sockets.push(socket);
    return { socket, seen };
  }

  /** A SUB on `endpoint` subscribed to `prefix`, recording topics. */
  subscriber(endpoint: string, serverKey: string | null, key: ClientKey, prefix: string): { topics: string[]; seen: Handshakes } {
    const socket = new Subscriber({ linger: 0, ...curveOptions(serverKey, key) });
    const seen = this.watch(socket);
    const topics: string[] = [];
    socket.connect(endpoint);
    socket.subscribe(prefix);
    this.sockets.push(socket);
    this.loops.push(
      (async () => {
        try {
          for await (const [topic] of socket) topics.push(topic.toString('utf8'));
        } catch (err) {
          if (!socket.closed) throw err;
        }
      })(),
    );
    return { topics, seen };
  }

  async closeAll(): Promise<void> {
    for (const s of this.sockets) if (!s.closed) s.close();
    await Promise.all(this.loops);
  }

  get allClosed(): boolean {
    return this.sockets.every((s) => s.closed);
  }
}

/**
 * Sends one request and waits for its reply; null when none comes within
 * the socket's receive timeout (or the send cannot even be queued).
 */
export async function request(dealer: Dealer, command: string, properties: Record<string, unknown> = {}, id = `${command}-${Date.now()}`): Promise<Record<string, unknown> | null> {
  try {
    await dealer.send(JSON.stringify({ id, command, properties }));
  } catch (err) {
    if ((err as { code?: string }).code === 'EAGAIN') return null;
    throw err;
  }
  for (let i = 0; i < 10; i++) {
    let frames: Buffer[];
    try {
      frames = await dealer.receive();
    } catch (err) {
      if ((err as { code?: string }).code === 'EAGAIN') return null;
      throw err;
    }
    const reply = JSON.parse(frames[frames.length - 1].toString('utf8')) as Record<string, unknown>;
    // A late reply to an earlier request of this socket is skipped.
    if (reply.id === id) return reply;
  }
  return null;
}

/** The JSON lines of an audit file (none while it does not exist). */
export function auditRecords(file: string): Record<string, unknown>[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Waits until the audit file holds a record for which `match` holds; returns it. */
export function auditRecord(file: string, what: string, match: (r: Record<string, unknown>) => boolean, ms = 10_000): Promise<Record<string, unknown>> {
  return waitFor(what, () => auditRecords(file).find(match), ms);
}
