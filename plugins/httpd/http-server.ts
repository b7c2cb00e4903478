/**
 * The panel's routing (panel contract "HTTP surface"). Every request first
 * gets the security headers and the Host check; every state-changing
 * request and every websocket upgrade the Origin check; then the route:
 * pages, login/logout, assets, `/api/session`, `/api/daemons`, the command
 * API and the `/ws` upgrade. Errors answer `{"status":"error","reason"}`.
 */
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { errorMessage, type Logger } from '../../kernel/index';
import type { Identity, PanelAuth } from './auth';
import { HttpRequestError } from './errors';
import { clientAddress, header, mediaType, readBody, redirect, sendError, sendJson } from './http-io';
import type { PanelDaemon } from './panel-daemon';
import { parseCommandRoute, runCommand } from './rest-api';
import { checkOrigin, type HostPolicy, SECURITY_HEADERS } from './security';
import { clearedSessionCookie, csrfMatches, type Session, sessionCookie } from './sessions';
import type { StaticAssets } from './static-assets';
import type { WsHub } from './ws-hub';

/** Largest login or logout form read. */
const MAX_FORM_BYTES = 64 * 1024;

/** What the router works with. */
export interface PanelRouterDeps {
  readonly daemons: readonly PanelDaemon[];
  readonly auth: PanelAuth;
  readonly hosts: HostPolicy;
  readonly assets: StaticAssets;
  readonly hub: WsHub;
  readonly secureCookie: boolean;
  readonly logger: Logger;
}

/** A login or logout form: JSON or urlencoded. */
interface Form {
  readonly fields: Record<string, string>;
  /** A browser's plain form post (answered with redirects rather than error statuses). */
  readonly browserForm: boolean;
}

/** Dispatches the panel's requests and upgrades. */
export class PanelRouter {
  constructor(private readonly deps: PanelRouterDeps) {}

  /** The `request` listener of the HTTP server. */
  handle(req: IncomingMessage, res: ServerResponse): void {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    this.route(req, res).catch((err: unknown) => {
      if (!(err instanceof HttpRequestError)) this.deps.logger.error(`${req.method} ${req.url}: ${errorMessage(err)}`);
      sendError(res, err);
    });
  }

  /** The `upgrade` listener: `/ws` only, with the same Host, Origin and login rules. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', (err) => this.deps.logger.debug(`websocket upgrade socket: ${errorMessage(err)}`));
    this.authorizeUpgrade(req)
      .then((identity) => this.deps.hub.accept(req, socket, head, identity.session?.id ?? null))
      .catch((err: unknown) => {
        const status = err instanceof HttpRequestError ? err.status : 500;
        if (status === 500) this.deps.logger.error(`websocket upgrade: ${errorMessage(err)}`);
        const body = JSON.stringify({ status: 'error', reason: errorMessage(err) });
        socket.end(
          `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
            `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
        );
      });
  }

  private async authorizeUpgrade(req: IncomingMessage): Promise<Identity> {
    const url = new URL(req.url ?? '/', 'http://panel');
    if (url.pathname !== '/ws') throw new HttpRequestError(404, `no websocket at '${url.pathname}' (use /ws)`);
    this.checkHostAndOrigin(req, true);
    const identity = await this.deps.auth.identify(req);
    if (!identity.authenticated) throw new HttpRequestError(401, 'log in first: the websocket needs a session or a Bearer token');
    if (this.deps.hub.full) throw new HttpRequestError(503, 'too many websocket clients: close another panel tab');
    return identity;
  }

  private checkHostAndOrigin(req: IncomingMessage, changesState: boolean): void {
    const host = header(req, 'host');
    const refused = this.deps.hosts.checkHost(host);
    if (refused !== null) throw new HttpRequestError(403, refused);
    if (changesState) {
      const origin = checkOrigin(header(req, 'origin'), host);
      if (origin !== null) throw new HttpRequestError(403, origin);
    }
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const reading = method === 'GET' || method === 'HEAD';
    this.checkHostAndOrigin(req, !reading);
    const url = new URL(req.url ?? '/', 'http://panel');
    const path = url.pathname;
    if (path === '/' || path === '/index.html') return this.page(req, res, method);
    if (path === '/login') return method === 'POST' ? this.login(req, res) : this.loginPage(req, res, method);
    if (path === '/logout') return this.logout(req, res, method);
    if (path.startsWith('/assets/')) {
      allowMethods(method, ['GET', 'HEAD']);
      return this.deps.assets.serve(req, res, decodePath(path.slice('/assets/'.length)));
    }
    if (path === '/ws') throw new HttpRequestError(426, '/ws is a websocket: send an upgrade request', { Upgrade: 'websocket' });
    if (path === '/api' || path.startsWith('/api/')) return this.api(req, res, url, method);
    throw new HttpRequestError(404, `no such page '${path}'`);
  }

  private async page(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    allowMethods(method, ['GET', 'HEAD']);
    const identity = await this.deps.auth.identify(req);
    if (!identity.authenticated) return redirect(res, '/login');
    return this.deps.assets.serve(req, res, 'index.html');
  }

  private async loginPage(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    allowMethods(method, ['GET', 'HEAD']);
    if (!this.deps.auth.loginRequired || this.deps.auth.sessionOf(req)?.authenticated) return redirect(res, '/');
    return this.deps.assets.serve(req, res, 'login.html');
  }

  private async login(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = await readForm(req, res);
    const { auth } = this.deps;
    if (!auth.loginRequired) return redirect(res, '/');
    // Only the cookie counts here: the form carries the password.
    const previous = auth.sessionOf(req);
    checkCsrf(req, previous, false, form.fields.csrf);
    try {
      const session = await auth.login(clientAddress(req), form.fields.password ?? '', previous);
      redirect(res, '/', { 'Set-Cookie': sessionCookie(session.id, this.deps.secureCookie) });
    } catch (err) {
      // A plain HTML form gets the login page back with the reason; scripts get the status.
      if (!(err instanceof HttpRequestError) || !form.browserForm) throw err;
      redirect(res, `/login?failed=${err.status === 429 ? 'throttled' : 'wrong'}`);
    }
  }

  private async logout(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    allowMethods(method, ['POST']);
    const form = await readForm(req, res);
    const session = this.deps.auth.sessionOf(req);
    checkCsrf(req, session, false, form.fields.csrf);
    if (session) {
      this.deps.auth.sessions.destroy(session.id);
      this.deps.hub.closeSession(session.id);
    }
    redirect(res, this.deps.auth.loginRequired ? '/login' : '/', { 'Set-Cookie': clearedSessionCookie(this.deps.secureCookie) });
  }

  private async api(req: IncomingMessage, res: ServerResponse, url: URL, method: string): Promise<void> {
    const { auth, daemons } = this.deps;
    const identity = await auth.identify(req);
    if (url.pathname === '/api/session') {
      allowMethods(method, ['GET', 'HEAD']);
      if (!auth.loginRequired) {
        const session = auth.anonymousSession(identity);
        const headers: Record<string, string> = session === identity.session ? {} : { 'Set-Cookie': sessionCookie(session.id, this.deps.secureCookie) };
        return sendJson(res, 200, { loginRequired: false, authenticated: true, csrf: session.csrf }, headers);
      }
      const csrf = identity.session?.authenticated ? identity.session.csrf : '';
      return sendJson(res, 200, { loginRequired: true, authenticated: identity.authenticated, csrf });
    }
    if (!identity.authenticated) throw new HttpRequestError(401, 'log in first (POST /login), or send Authorization: Bearer <password>', { 'WWW-Authenticate': 'Bearer' });
    if (method === 'POST') checkCsrf(req, identity.session, identity.bearer);
    if (url.pathname === '/api/daemons') {
      allowMethods(method, ['GET', 'HEAD']);
      return sendJson(res, 200, { daemons: daemons.map((d) => d.info()) });
    }
    const route = parseCommandRoute(url.pathname);
    if (route === null) throw new HttpRequestError(404, `no API route '${url.pathname}'`);
    return runCommand(req, res, url, route, daemons);
  }
}

/**
 * A POST with a live session cookie must carry its CSRF token (header, or
 * the `csrf` field of a form); a verified Bearer request needs none (a
 * browser never adds that header by itself).
 */
function checkCsrf(req: IncomingMessage, session: Session | undefined, bearer: boolean, formToken?: string): void {
  if (bearer || !session) return;
  const token = header(req, 'x-csrf-token') ?? formToken;
  if (!csrfMatches(session, token)) {
    throw new HttpRequestError(403, token === undefined ? 'missing X-CSRF-Token header' : 'wrong X-CSRF-Token (reload the page)');
  }
}

function allowMethods(method: string, allowed: readonly string[]): void {
  if (!allowed.includes(method)) throw new HttpRequestError(405, `method ${method} is not allowed here`, { Allow: allowed.join(', ') });
}

function decodePath(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new HttpRequestError(400, `malformed path '${text}'`);
  }
}

async function readForm(req: IncomingMessage, res: ServerResponse): Promise<Form> {
  const type = mediaType(req);
  const text = (await readBody(req, res, MAX_FORM_BYTES)).toString('utf8');
  if (type === 'application/x-www-form-urlencoded') {
    const fields = Object.fromEntries(new URLSearchParams(text));
    return { fields, browserForm: (header(req, 'accept') ?? '').includes('text/html') };
  }
  if (type === 'application/json' || text.trim() === '') {
    if (text.trim() === '') return { fields: {}, browserForm: false };
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new HttpRequestError(400, `the body is not valid JSON: ${errorMessage(err)}`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new HttpRequestError(400, 'the body must be a JSON object');
    const fields: Record<string, string> = {};
    for (const [k, v] of Object.entries(value)) if (typeof v === 'string') fields[k] = v;
    return { fields, browserForm: false };
  }
  throw new HttpRequestError(415, `send a form (application/x-www-form-urlencoded) or JSON, not '${type}'`);
}
