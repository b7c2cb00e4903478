/**
 * Test helpers of the panel: a fake daemon with the DaemonBridge face, raw
 * HTTP requests (fetch cannot send a forged Host header), a websocket
 * client that records messages, and polling with a deadline.
 */
import * as http from 'node:http';
import { WebSocket } from 'ws';
import type { Disposable } from '../../../../kernel';
import type { DaemonInfo, PanelDaemon, PanelMessage, WatcherState } from '../../../../plugins/httpd/panel-daemon';

/** A daemon that answers from a function and lets the test push messages. */
export class FakeDaemon implements PanelDaemon {
  readonly calls: { command: string; props: Record<string, unknown> }[] = [];
  private readonly listeners = new Set<(m: PanelMessage) => void>();
  watchers: WatcherState[] = [{ name: 'web', status: 'active', pids: [101, 102] }];
  answer: (command: string, props: Record<string, unknown>) => Promise<Record<string, unknown>> = async (command) => ({ status: 'ok', command });

  constructor(
    readonly id: string,
    readonly endpoint = `ipc:///tmp/${id}.sock`,
  ) {}

  info(): DaemonInfo {
    return { id: this.id, label: this.id.toUpperCase(), endpoint: this.endpoint, connected: true, error: null, stats: true, statsReason: null, tail: true, tailReason: null };
  }

  state(): WatcherState[] {
    return this.watchers.map((w) => ({ ...w, pids: [...w.pids] }));
  }

  call(command: string, props: Record<string, unknown>): Promise<Record<string, unknown>> {
    this.calls.push({ command, props });
    return this.answer(command, props);
  }

  onMessage(listener: (m: PanelMessage) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  emit(message: PanelMessage): void {
    for (const l of this.listeners) l(message);
  }
}

/** An answer read whole. */
export interface RawResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly text: string;
  json(): Record<string, unknown>;
}

/** Options of {@link rawRequest}. */
export interface RawRequest {
  readonly method?: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
}

/** One HTTP request to 127.0.0.1:port with exactly these headers (Host defaults to 127.0.0.1:port). */
export function rawRequest(port: number, r: RawRequest): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { Host: `127.0.0.1:${port}`, ...(r.headers ?? {}) };
    if (r.body !== undefined) headers['Content-Length'] = Buffer.byteLength(r.body);
    const req = http.request({ host: '127.0.0.1', port, method: r.method ?? 'GET', path: r.path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) as Record<string, unknown> });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(r.body);
  });
}

/** The `name=value` of a Set-Cookie answer, for sending back as Cookie. */
export function cookieOf(res: RawResponse): string {
  const set = res.headers['set-cookie'];
  if (!set || set.length === 0) throw new Error(`no Set-Cookie in the answer (status ${res.status}: ${res.text})`);
  return set[0].split(';')[0];
}

/** Polls `check` every 10 ms until truthy; fails after `ms`. */
export async function until<T>(what: string, check: () => T | undefined | null | false | Promise<T | undefined | null | false>, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A websocket client that keeps what it receives, or the status that refused its upgrade. */
export class RecordingSocket {
  readonly messages: Record<string, unknown>[] = [];
  refusedStatus: number | null = null;
  closed = false;
  readonly ws: WebSocket;

  constructor(port: number, headers: Record<string, string> = {}) {
    this.ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { headers: { Origin: `http://127.0.0.1:${port}`, ...headers } });
    this.ws.on('message', (data) => this.messages.push(JSON.parse(data.toString()) as Record<string, unknown>));
    this.ws.on('unexpected-response', (_req, res) => {
      this.refusedStatus = res.statusCode ?? 0;
      res.resume();
      this.ws.terminate();
    });
    this.ws.on('error', () => undefined);
    this.ws.on('close', () => (this.closed = true));
  }

  /** Resolves once open; rejects with the refusal status. */
  opened(ms = 5000): Promise<void> {
    return until('the websocket to open or be refused', () => this.ws.readyState === WebSocket.OPEN || this.refusedStatus !== null || this.closed, ms).then(() => {
      if (this.ws.readyState !== WebSocket.OPEN) throw new Error(`websocket refused: ${this.refusedStatus ?? 'closed'}`);
    });
  }

  /** Waits for `n` messages of `type` (default any). */
  async received(n: number, type?: string, ms = 5000): Promise<Record<string, unknown>[]> {
    const pick = (): Record<string, unknown>[] => this.messages.filter((m) => type === undefined || m.type === type);
    await until(`${n} websocket message(s)${type ? ` of type ${type}` : ''}`, () => pick().length >= n, ms);
    return pick();
  }

  send(message: unknown): void {
    this.ws.send(JSON.stringify(message));
  }

  /** Closes and waits for the close. */
  async close(): Promise<void> {
    if (!this.closed) this.ws.terminate();
    await until('the websocket to close', () => this.closed, 5000);
  }
}
