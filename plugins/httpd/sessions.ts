/**
 * In-memory panel sessions: a random id in the `circus_session` cookie, a
 * CSRF token the page echoes in `X-CSRF-Token`, whether the holder logged
 * in. Sessions expire after `idleMs` without a request, and the store keeps
 * at most `maxSessions` (the least recently used goes first), so no client
 * can grow the daemon. A restart logs everyone out, which is acceptable for
 * a control panel.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

/** The session cookie's name. */
export const SESSION_COOKIE = 'circus_session';

/** One browser session. */
export interface Session {
  readonly id: string;
  readonly csrf: string;
  /** True once the holder gave the password (always false on a panel without login). */
  readonly authenticated: boolean;
  lastSeen: number;
}

/** Settings of {@link SessionStore}. */
export interface SessionStoreOptions {
  /** Idle time after which a session is forgotten, in ms (default 12 h). */
  readonly idleMs?: number;
  /** Sessions kept at most (default 1000). */
  readonly maxSessions?: number;
  /** Clock (ms), replaceable in tests. */
  readonly now?: () => number;
}

function token(): string {
  return randomBytes(32).toString('base64url');
}

/** The sessions of one panel. */
export class SessionStore {
  /** Map order is least recently used first: `touch` re-inserts. */
  private readonly sessions = new Map<string, Session>();
  private readonly idleMs: number;
  private readonly maxSessions: number;
  private readonly now: () => number;

  constructor(options: SessionStoreOptions = {}) {
    this.idleMs = options.idleMs ?? 12 * 3600_000;
    this.maxSessions = options.maxSessions ?? 1000;
    this.now = options.now ?? Date.now;
  }

  /** How many sessions are alive (expired ones are dropped first). */
  get size(): number {
    this.sweep();
    return this.sessions.size;
  }

  /** A new session with fresh id and CSRF token; the least recently used one goes when the store is full. */
  create(authenticated: boolean): Session {
    this.sweep();
    while (this.sessions.size >= this.maxSessions) {
      const oldest = this.sessions.keys().next();
      if (oldest.done) break;
      this.sessions.delete(oldest.value);
    }
    const session: Session = { id: token(), csrf: token(), authenticated, lastSeen: this.now() };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session of that id, marked as used now; undefined when unknown or expired. */
  get(id: string | undefined): Session | undefined {
    if (id === undefined || id === '') return undefined;
    const session = this.sessions.get(id);
    if (!session) return undefined;
    if (this.now() - session.lastSeen >= this.idleMs) {
      this.sessions.delete(id);
      return undefined;
    }
    session.lastSeen = this.now();
    this.sessions.delete(id);
    this.sessions.set(id, session);
    return session;
  }

  /** Forgets a session (logout). */
  destroy(id: string): void {
    this.sessions.delete(id);
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, session] of this.sessions) {
      // LRU order: the first live one means every later one is live too.
      if (now - session.lastSeen < this.idleMs) break;
      this.sessions.delete(id);
    }
  }
}

/** True when `candidate` is the session's CSRF token (constant time). */
export function csrfMatches(session: Session, candidate: string | undefined): boolean {
  if (candidate === undefined) return false;
  const a = Buffer.from(session.csrf, 'utf8');
  const b = Buffer.from(candidate, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The cookies of a `Cookie` header, first occurrence of a name wins. */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    const name = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (name !== '' && !out.has(name)) out.set(name, value);
  }
  return out;
}

/** The `Set-Cookie` value carrying a session (HttpOnly, SameSite=Strict, Path=/, Secure when asked). */
export function sessionCookie(id: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

/** The `Set-Cookie` value that removes the session cookie. */
export function clearedSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0${secure ? '; Secure' : ''}`;
}
