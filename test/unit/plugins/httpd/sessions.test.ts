import { strict as assert } from 'node:assert';
import { clearedSessionCookie, csrfMatches, parseCookies, sessionCookie, SessionStore } from '../../../../plugins/httpd/sessions';

describe('plugins/httpd/sessions: in-memory sessions and the session cookie', () => {
  let now = 0;
  const clock = (): number => now;

  it('creates sessions with distinct random ids and CSRF tokens', () => {
    const store = new SessionStore({ now: clock });
    const a = store.create(true);
    const b = store.create(false);
    assert.notEqual(a.id, b.id);
    assert.notEqual(a.csrf, b.csrf);
    assert.match(a.id, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(store.get(a.id)?.authenticated, true);
    assert.equal(store.get(b.id)?.authenticated, false);
    assert.equal(store.get('unknown'), undefined);
    assert.equal(store.get(undefined), undefined);
  });

  it('forgets a session idle for idleMs, but not one in use', () => {
    const store = new SessionStore({ idleMs: 1000, now: clock });
    const idle = store.create(true);
    const used = store.create(true);
    now += 600;
    assert.ok(store.get(used.id));
    now += 600;
    assert.equal(store.get(idle.id), undefined);
    assert.ok(store.get(used.id));
    assert.equal(store.size, 1);
  });

  it('keeps at most maxSessions, dropping the least recently used', () => {
    const store = new SessionStore({ maxSessions: 2, now: clock });
    const a = store.create(true);
    const b = store.create(true);
    store.get(a.id);
    const c = store.create(true);
    assert.equal(store.size, 2);
    assert.ok(store.get(a.id));
    assert.equal(store.get(b.id), undefined);
    assert.ok(store.get(c.id));
  });

  it('destroys a session at logout', () => {
    const store = new SessionStore();
    const s = store.create(true);
    store.destroy(s.id);
    assert.equal(store.get(s.id), undefined);
  });

  it('checks the CSRF token exactly', () => {
    const s = new SessionStore().create(false);
    assert.equal(csrfMatches(s, s.csrf), true);
    assert.equal(csrfMatches(s, undefined), false);
    assert.equal(csrfMatches(s, ''), false);
    assert.equal(csrfMatches(s, s.csrf.slice(1)), false);
    assert.equal(csrfMatches(s, `${s.csrf}x`), false);
  });

  it('writes the cookie HttpOnly, SameSite=Strict, Path=/, Secure only when asked', () => {
    assert.equal(sessionCookie('abc', false), 'circus_session=abc; Path=/; HttpOnly; SameSite=Strict');
    assert.equal(sessionCookie('abc', true), 'circus_session=abc; Path=/; HttpOnly; SameSite=Strict; Secure');
    assert.match(clearedSessionCookie(false), /^circus_session=; .*Max-Age=0/);
  });

  it('reads cookies; the first of a repeated name wins', () => {
    const c = parseCookies('a=1; circus_session=xyz ; b=2; circus_session=later; junk');
    assert.equal(c.get('circus_session'), 'xyz');
    assert.equal(c.get('b'), '2');
    assert.equal(parseCookies(undefined).size, 0);
  });
});
