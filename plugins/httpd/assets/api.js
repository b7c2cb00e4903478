// The panel's HTTP calls: the session (CSRF token, login state), Circus
// commands through the REST API, and logout. Every mutating request carries
// the X-CSRF-Token header the server checks against the session cookie.

let csrf = '';

/** Reads GET /api/session; remembers the CSRF token. Returns the session, or null on 401. */
export async function loadSession() {
  const res = await fetch('/api/session', { credentials: 'same-origin', cache: 'no-store' });
  if (res.status === 401) return null;
  if (!res.ok) throw new Error(`GET /api/session: HTTP ${res.status}`);
  const session = await res.json();
  csrf = typeof session.csrf === 'string' ? session.csrf : '';
  return session;
}

/** The reason an HTTP error response gives (`{"status":"error","reason"}`), else its status line. */
async function httpReason(res) {
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text);
    if (body && typeof body.reason === 'string') return body.reason;
  } catch {
    // Not JSON (a proxy's page, say): the status line says enough.
  }
  return `HTTP ${res.status} ${res.statusText}`.trim();
}

/** An error of an action: the reason is what the user sees. */
export class ActionError extends Error {
  constructor(message, httpStatus) {
    super(message);
    this.name = 'ActionError';
    this.httpStatus = httpStatus;
  }
}

/**
 * Sends a Circus command to a daemon (POST, body = the properties) and
 * returns the Circus reply. Rejects ActionError for an HTTP error and for a
 * reply whose status is not ok, with the reason the server or circusd gave.
 */
export async function command(daemonId, name, properties) {
  const url = `/api/daemons/${encodeURIComponent(daemonId)}/commands/${encodeURIComponent(name)}`;
  let res;
  try {
    res = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify(properties || {}),
    });
  } catch (err) {
    throw new ActionError(`${name}: the panel server did not answer (${err.message})`, 0);
  }
  if (res.status === 401) {
    // The session expired (or was logged out elsewhere): back to the login page.
    setTimeout(() => window.location.assign('/login'), 1500);
  }
  if (!res.ok) throw new ActionError(`${name}: ${await httpReason(res)}`, res.status);
  const reply = await res.json();
  if (reply && reply.status === 'error') throw new ActionError(`${name}: ${reply.reason || 'error'}`, res.status);
  return reply;
}

/** POST /logout, then back to the login page whatever the answer (the session is gone either way). */
export async function logout() {
  try {
    await fetch('/logout', { method: 'POST', credentials: 'same-origin', headers: { 'X-CSRF-Token': csrf } });
  } finally {
    window.location.assign('/login');
  }
}
