/**
 * Who is asking: a session cookie, or `Authorization: Bearer <password>`
 * for a script. Login checks the password against the hash with the
 * per-address throttle; a successful login always starts a fresh session
 * (no fixation). On a panel without a password every client is let in, and
 * sessions exist only to carry the CSRF token.
 */
import type { IncomingMessage } from 'node:http';
import { HttpRequestError } from './errors';
import { clientAddress, header } from './http-io';
import type { LoginThrottle } from './login-throttle';
import type { PasswordVerifier } from './password';
import { parseCookies, SESSION_COOKIE, type Session, type SessionStore } from './sessions';

/** What the panel knows of the client of one request. */
export interface Identity {
  /** The live session of the cookie, if any (an unknown or expired cookie counts as none). */
  readonly session: Session | undefined;
  /** A Bearer token was sent and verified (no CSRF token needed then: browsers never add it by themselves). */
  readonly bearer: boolean;
  /** May use the API and the websocket. */
  readonly authenticated: boolean;
}

/** The panel's login rules over its sessions. */
export class PanelAuth {
  constructor(
    private readonly verifier: PasswordVerifier | null,
    readonly sessions: SessionStore,
    private readonly throttle: LoginThrottle,
  ) {}

  /** True when a password hash is configured. */
  get loginRequired(): boolean {
    return this.verifier !== null;
  }

  /**
   * Identifies the client. A wrong Bearer token counts as a failed login
   * (rejects 401, or 429 when the address is throttled).
   */
  async identify(req: IncomingMessage): Promise<Identity> {
    const session = this.sessionOf(req);
    const authorization = header(req, 'authorization');
    if (authorization !== undefined && /^bearer\s/i.test(authorization)) {
      if (this.verifier === null) return { session, bearer: true, authenticated: true };
      await this.checkPassword(clientAddress(req), authorization.replace(/^bearer\s+/i, '').trim(), 'Bearer token');
      return { session, bearer: true, authenticated: true };
    }
    const authenticated = this.verifier === null || session?.authenticated === true;
    return { session, bearer: false, authenticated };
  }

  /** The live session of the request's cookie (an unknown or expired id is none). */
  sessionOf(req: IncomingMessage): Session | undefined {
    return this.sessions.get(parseCookies(header(req, 'cookie')).get(SESSION_COOKIE));
  }

  /**
   * Checks a login's password and opens an authenticated session, dropping
   * `previous`. Rejects 401 for a wrong password, 429 when throttled.
   */
  async login(address: string, password: string, previous: Session | undefined): Promise<Session> {
    await this.checkPassword(address, password, 'password');
    if (previous) this.sessions.destroy(previous.id);
    return this.sessions.create(true);
  }

  /** The session of a no-login panel's client, created when it has none (for the CSRF token). */
  anonymousSession(identity: Identity): Session {
    return identity.session ?? this.sessions.create(false);
  }

  private async checkPassword(address: string, password: string, what: string): Promise<void> {
    const verifier = this.verifier;
    if (verifier === null) return;
    const wait = this.throttle.retryAfter(address);
    if (wait > 0) {
      throw new HttpRequestError(429, `too many failed logins from ${address}: try again in ${wait} s`, { 'Retry-After': String(wait) });
    }
    if (password !== '' && (await verifier.verify(password))) {
      this.throttle.succeed(address);
      return;
    }
    this.throttle.fail(address);
    throw new HttpRequestError(401, `wrong ${what}`, what === 'Bearer token' ? { 'WWW-Authenticate': 'Bearer' } : {});
  }
}
