/**
 * The JSON REST API (panel contract "HTTP surface"): every Circus command
 * but `listen` and `ipython` under `/api/daemons/<id>/commands/<command>`
 * (`/api/commands/<command>` = the first daemon), POST with the properties
 * as a JSON object, GET with the properties in the query string for the
 * read-only commands; the Circus reply as is, HTTP 200 whatever its status.
 * Authentication and CSRF are checked before this runs (http-server.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorMessage } from '../../kernel/index';
import { HttpRequestError } from './errors';
import { mediaType, readBody, sendJson } from './http-io';
import { BridgeCallError, READ_ONLY_COMMANDS } from './bridge/index';
import type { PanelDaemon } from './panel-daemon';

export { READ_ONLY_COMMANDS };

/** Every Circus command the API runs (spec/protocol.md 2). */
export const API_COMMANDS: ReadonlySet<string> = new Set([
  ...READ_ONLY_COMMANDS,
  'add',
  'decr',
  'incr',
  'kill',
  'quit',
  'reload',
  'reloadconfig',
  'restart',
  'rm',
  'set',
  'signal',
  'start',
  'stop',
]);

/** Commands of Circus the API deliberately does not run, and why. */
const NOT_OVER_HTTP: Readonly<Record<string, string>> = {
  listen: 'a pubsub subscription: use the websocket /ws',
  ipython: 'an interactive shell',
};

/** A parsed `/api/.../commands/<command>` path. */
export interface CommandRoute {
  /** Null for `/api/commands/<command>` (the first daemon). */
  readonly daemon: string | null;
  readonly command: string;
}

/** Splits an API command path, or null when `path` is not one. Segments are URL-decoded. */
export function parseCommandRoute(path: string): CommandRoute | null {
  const m = /^\/api\/(?:daemons\/([^/]+)\/)?commands\/([^/]+)$/.exec(path);
  if (!m) return null;
  try {
    return { daemon: m[1] === undefined ? null : decodeURIComponent(m[1]), command: decodeURIComponent(m[2]) };
  } catch {
    throw new HttpRequestError(400, `malformed path '${path}'`);
  }
}

/** A query value: JSON when it parses as JSON, else the string itself. */
function queryValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The properties of a GET command from its query string (`keys` is always a list, for `get`). */
export function queryProperties(params: URLSearchParams): Record<string, unknown> {
  const props: Record<string, unknown> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key).map(queryValue);
    if (key === 'keys') props[key] = values.length === 1 && Array.isArray(values[0]) ? values[0] : values;
    else props[key] = values.length === 1 ? values[0] : values;
  }
  return props;
}

/** The properties of a POST command: a JSON object (an empty body is `{}`). */
export async function bodyProperties(req: IncomingMessage, res: ServerResponse): Promise<Record<string, unknown>> {
  if (mediaType(req) !== 'application/json') {
    // Also what stops a cross-site form or no-cors fetch: they cannot send this type without a CORS preflight.
    throw new HttpRequestError(415, `send the command's properties as Content-Type: application/json (got '${req.headers['content-type'] ?? 'none'}')`);
  }
  const body = await readBody(req, res);
  const text = body.toString('utf8');
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new HttpRequestError(400, `the body is not valid JSON: ${errorMessage(err)}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
    throw new HttpRequestError(400, `the body must be a JSON object of the command's properties, not ${kind}`);
  }
  return value as Record<string, unknown>;
}

/** The daemon a route names; 404 naming it when unknown. */
export function findDaemon(daemons: readonly PanelDaemon[], id: string | null): PanelDaemon {
  const found = id === null ? daemons[0] : daemons.find((d) => d.id === id);
  if (!found) throw new HttpRequestError(404, id === null ? 'this panel shows no daemon' : `unknown daemon '${id}'`);
  return found;
}

/** Checks the command and the method; 404 / 405 naming them. */
export function checkCommand(command: string, method: string): void {
  if (NOT_OVER_HTTP[command] !== undefined) {
    throw new HttpRequestError(404, `command '${command}' is not available over HTTP (${NOT_OVER_HTTP[command]})`);
  }
  if (!API_COMMANDS.has(command)) throw new HttpRequestError(404, `unknown command '${command}'`);
  const allow = READ_ONLY_COMMANDS.has(command) ? 'GET, POST' : 'POST';
  if (method === 'GET' || method === 'HEAD') {
    if (!READ_ONLY_COMMANDS.has(command)) {
      throw new HttpRequestError(405, `command '${command}' changes the daemon: use POST`, { Allow: allow });
    }
  } else if (method !== 'POST') {
    throw new HttpRequestError(405, `method ${method} is not allowed on command '${command}'`, { Allow: allow });
  }
}

/**
 * Runs one API command request and answers with the Circus reply. Rejects
 * with HttpRequestError (400, 404, 405, 413, 415, 502) for the caller to answer.
 */
export async function runCommand(req: IncomingMessage, res: ServerResponse, url: URL, route: CommandRoute, daemons: readonly PanelDaemon[]): Promise<void> {
  const method = req.method ?? 'GET';
  const daemon = findDaemon(daemons, route.daemon);
  checkCommand(route.command, method);
  const props = method === 'POST' ? await bodyProperties(req, res) : queryProperties(url.searchParams);
  let reply: Record<string, unknown>;
  try {
    reply = await daemon.call(route.command, props);
  } catch (err) {
    // The bridge's error already names the endpoint and the command.
    const reason = err instanceof BridgeCallError ? err.message : `circusd at ${daemon.info().endpoint} did not answer '${route.command}': ${errorMessage(err)}`;
    throw new HttpRequestError(502, reason);
  }
  sendJson(res, 200, reply);
}
