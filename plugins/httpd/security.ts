/**
 * Request checks that do not depend on who is asking: the Host header
 * (against DNS rebinding: a page of evil.example whose name resolves to
 * 127.0.0.1 sends `Host: evil.example`), the Origin of state-changing
 * requests and websocket upgrades (a cross-site POST carries the attacker's
 * origin), and the headers every answer carries.
 */

/** The names any panel accepts in the Host header (any port). */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];

/**
 * The host part of a Host header or URL authority, lower-cased, without
 * port or IPv6 brackets; null when it is not a plausible host.
 */
export function hostName(authority: string): string | null {
  const text = authority.trim().toLowerCase();
  if (text === '') return null;
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    if (end < 0) return null;
    const rest = text.slice(end + 1);
    if (rest !== '' && !/^:\d{1,5}$/.test(rest)) return null;
    return text.slice(1, end);
  }
  const m = /^([^:/\s@]+)(?::\d{1,5})?$/.exec(text);
  return m ? m[1].replace(/\.$/, '') : null;
}

/** The Host names one panel accepts: loopback, the bound host and `httpd_allowed_hosts`. */
export class HostPolicy {
  private readonly names: ReadonlySet<string>;

  constructor(boundHost: string, allowedHosts: readonly string[]) {
    const names = new Set(LOOPBACK_NAMES);
    for (const name of [boundHost, ...allowedHosts]) {
      const host = hostName(name);
      if (host !== null) names.add(host);
    }
    this.names = names;
  }

  /** The accepted names (for messages and docs). */
  get accepted(): readonly string[] {
    return [...this.names];
  }

  /** Null when the Host header is accepted, else the reason it is refused. */
  checkHost(host: string | undefined): string | null {
    if (host === undefined || host.trim() === '') return 'the request has no Host header';
    const name = hostName(host);
    if (name === null || !this.names.has(name)) {
      return `Host '${host}' is not a name of this panel (add it to httpd_allowed_hosts if a proxy forwards it)`;
    }
    return null;
  }
}

/**
 * Null when `origin` may act on this panel, else the reason: an absent
 * Origin is accepted (scripts, same-origin GET); a present one must be the
 * same host and port as the Host header (`null` and foreign origins are refused).
 */
export function checkOrigin(origin: string | undefined, host: string | undefined): string | null {
  if (origin === undefined) return null;
  // Sandboxed frames, file: pages and some redirects send the opaque origin `null`.
  if (origin === 'null') return `Origin 'null' may not act on this panel`;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return `Origin '${origin}' is not a URL`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `Origin '${origin}' may not act on this panel`;
  }
  // URL drops a default port (80/443), so compare with the Host header parsed the same way.
  let hostUrl: URL | null = null;
  try {
    hostUrl = host === undefined ? null : new URL(`${url.protocol}//${host}`);
  } catch {
    hostUrl = null;
  }
  if (hostUrl === null || hostUrl.host.toLowerCase() !== url.host.toLowerCase()) {
    return `cross-site request refused: Origin '${origin}' is not this panel (Host '${host ?? ''}')`;
  }
  return null;
}

/** Content-Security-Policy: everything from the panel itself, nothing inline, no framing. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The headers every answer of the panel carries. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
});
