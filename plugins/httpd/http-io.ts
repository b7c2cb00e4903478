/**
 * Small helpers shared by the panel's routes: JSON answers with the
 * contract's error body, bounded body reading, the client address.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorMessage } from '../../kernel/index';
import { HttpRequestError } from './errors';

/** Largest request body the panel reads (JSON properties, login form): 1 MiB. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Writes a JSON answer (never cached: it is live state or a secret such as the CSRF token). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(text);
}

/** Answers with `{"status": "error", "reason": ...}`; an unexpected error is a 500 naming it. */
export function sendError(res: ServerResponse, err: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (err instanceof HttpRequestError) {
    sendJson(res, err.status, { status: 'error', reason: err.message }, err.headers);
    return;
  }
  sendJson(res, 500, { status: 'error', reason: `internal error: ${errorMessage(err)}` });
}

/** A 303 to `location` (after a login form, or to the login page). */
export function redirect(res: ServerResponse, location: string, headers: Readonly<Record<string, string | string[]>> = {}): void {
  res.writeHead(303, { ...headers, Location: location, 'Content-Length': 0, 'Cache-Control': 'no-store' });
  res.end();
}

/** The media type of the request body, lower-cased, without parameters ('' when absent). */
export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

/**
 * Reads the whole body, refusing more than `limit` bytes with 413 (from
 * Content-Length at once, or while reading). The connection is closed after
 * a refusal, so the unread rest is not taken for the next request.
 */
export function readBody(req: IncomingMessage, res: ServerResponse, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const tooLarge = (): HttpRequestError => {
    res.setHeader('Connection', 'close');
    return new HttpRequestError(413, `the request body is over the limit of ${limit} bytes`);
  };
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        req.pause();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      resolve(Buffer.concat(chunks));
    });
    req.on('error', (err) => {
      if (done) return;
      done = true;
      reject(err);
    });
  });
}

/** The peer address, for the login throttle (a proxy in front makes every client its own address). */
export function clientAddress(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}

/** The single value of a request header (the first when repeated). */
export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/** `host:port` as a URL authority (an IPv6 address in brackets). */
export function hostPort(host: string, port: number): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}
