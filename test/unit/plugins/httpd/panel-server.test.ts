import { strict as assert } from 'node:assert';
import { type Panel, PASSWORD, startPanel } from './panel-fixture';
import { cookieOf, rawRequest, type RawResponse } from './helpers';

const JSON_TYPE = { 'Content-Type': 'application/json' };

describe('plugins/httpd/panel-server: routing, REST API and security without login (loopback panel)', () => {
  let panel: Panel;
  const req = (r: Parameters<typeof rawRequest>[1]): Promise<RawResponse> => rawRequest(panel.port, r);

  beforeEach(async () => {
    panel = await startPanel();
  });
  afterEach(async () => {
    await panel.close();
  });

  it('gives an anonymous session with a CSRF token once, and keeps it', async () => {
    const first = await req({ path: '/api/session' });
    assert.equal(first.status, 200);
    const body = first.json();
    assert.deepEqual({ ...body, csrf: typeof body.csrf }, { loginRequired: false, authenticated: true, csrf: 'string' });
    const cookie = cookieOf(first);
    assert.match(first.headers['set-cookie']?.[0] ?? '', /HttpOnly; SameSite=Strict/);
    const again = await req({ path: '/api/session', headers: { Cookie: cookie } });
    assert.equal(again.headers['set-cookie'], undefined);
    assert.equal(again.json().csrf, body.csrf);
  });

  it('puts the security headers on every answer, errors included', async () => {
    for (const path of ['/', '/api/session', '/nowhere', '/assets/app.js']) {
      const res = await req({ path });
      assert.match(String(res.headers['content-security-policy']), /default-src 'self'/, path);
      assert.equal(res.headers['x-frame-options'], 'DENY', path);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', path);
      assert.equal(res.headers['referrer-policy'], 'no-referrer', path);
    }
  });

  it('lists the daemons and runs GET read-only commands on the first or a named daemon', async () => {
    const daemons = (await req({ path: '/api/daemons' })).json().daemons as { id: string }[];
    assert.deepEqual(daemons.map((d) => d.id), ['a', 'b']);
    const status = await req({ path: '/api/commands/status?name=web' });
    assert.equal(status.status, 200);
    assert.deepEqual(status.json(), { status: 'ok', command: 'status' });
    assert.deepEqual(panel.daemons[0].calls, [{ command: 'status', props: { name: 'web' } }]);
    await req({ path: '/api/daemons/b/commands/get?name=web&keys=cmd&keys=numprocesses' });
    assert.deepEqual(panel.daemons[1].calls, [{ command: 'get', props: { name: 'web', keys: ['cmd', 'numprocesses'] } }]);
  });

  it('answers the Circus reply as is with 200, an error reply included', async () => {
    panel.daemons[0].answer = async () => ({ status: 'error', reason: 'program nope not found', errno: 3 });
    const res = await req({ method: 'POST', path: '/api/commands/stop', headers: JSON_TYPE, body: '{"name":"nope"}' });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json(), { status: 'error', reason: 'program nope not found', errno: 3 });
  });

  it('lets a script POST JSON without a session on a no-login panel', async () => {
    const res = await req({ method: 'POST', path: '/api/daemons/b/commands/stop', headers: JSON_TYPE, body: '{"name":"web","waiting":true}' });
    assert.equal(res.status, 200);
    assert.deepEqual(panel.daemons[1].calls, [{ command: 'stop', props: { name: 'web', waiting: true } }]);
    const empty = await req({ method: 'POST', path: '/api/commands/status', headers: JSON_TYPE });
    assert.equal(empty.status, 200);
    assert.deepEqual(panel.daemons[0].calls, [{ command: 'status', props: {} }]);
  });

  it('refuses a POST that is not application/json (415): what a cross-site form or no-cors fetch would send', async () => {
    for (const type of [undefined, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const headers: Record<string, string> = type ? { 'Content-Type': type } : {};
      const res = await req({ method: 'POST', path: '/api/commands/stop', headers, body: 'name=web' });
      assert.equal(res.status, 415, String(type));
      assert.equal(res.json().status, 'error');
    }
    assert.equal(panel.daemons[0].calls.length, 0);
  });

  it('requires the CSRF token of the session cookie on a POST: missing or wrong is 403 and nothing runs', async () => {
    const session = await req({ path: '/api/session' });
    const cookie = cookieOf(session);
    const csrf = session.json().csrf as string;
    const post = (headers: Record<string, string>): Promise<RawResponse> =>
      req({ method: 'POST', path: '/api/commands/stop', headers: { ...JSON_TYPE, Cookie: cookie, ...headers }, body: '{}' });
    const missing = await post({});
    assert.equal(missing.status, 403);
    assert.match(String(missing.json().reason), /missing X-CSRF-Token/);
    const wrong = await post({ 'X-CSRF-Token': `${csrf}x` });
    assert.equal(wrong.status, 403);
    assert.match(String(wrong.json().reason), /wrong X-CSRF-Token/);
    assert.equal(panel.daemons[0].calls.length, 0);
    assert.equal((await post({ 'X-CSRF-Token': csrf })).status, 200);
    assert.equal(panel.daemons[0].calls.length, 1);
  });

  it('refuses a cross-site POST (Origin of another site) with 403 before anything runs', async () => {
    const res = await req({ method: 'POST', path: '/api/commands/quit', headers: { ...JSON_TYPE, Origin: 'http://evil.example' }, body: '{}' });
    assert.equal(res.status, 403);
    assert.match(String(res.json().reason), /cross-site request refused: Origin 'http:\/\/evil.example'/);
    const sameOrigin = await req({ method: 'POST', path: '/api/commands/status', headers: { ...JSON_TYPE, Origin: `http://127.0.0.1:${panel.port}` }, body: '{}' });
    assert.equal(sameOrigin.status, 200);
    assert.deepEqual(panel.daemons[0].calls.map((c) => c.command), ['status']);
  });

  it('refuses a Host that is not the panel (DNS rebinding) with 403, for pages and API', async () => {
    for (const path of ['/', '/api/session', '/api/commands/status', '/assets/app.js']) {
      const res = await req({ path, headers: { Host: `evil.example:${panel.port}` } });
      assert.equal(res.status, 403, path);
      assert.match(String(res.json().reason), /Host 'evil.example:\d+' is not a name of this panel/);
    }
    for (const host of [`localhost:${panel.port}`, `[::1]:${panel.port}`, '127.0.0.1']) {
      assert.equal((await req({ path: '/api/session', headers: { Host: host } })).status, 200, host);
    }
    assert.equal(panel.daemons[0].calls.length, 0);
  });

  it('answers the contract statuses: 400 bad JSON / not an object, 404 daemon or command, 405, 413, 502', async () => {
    const post = (path: string, body: string | Buffer): Promise<RawResponse> => req({ method: 'POST', path, headers: JSON_TYPE, body });
    const badJson = await post('/api/commands/stop', '{"name":');
    assert.equal(badJson.status, 400);
    assert.match(String(badJson.json().reason), /not valid JSON/);
    const array = await post('/api/commands/stop', '["web"]');
    assert.equal(array.status, 400);
    assert.match(String(array.json().reason), /must be a JSON object .* not an array/);
    const noDaemon = await post('/api/daemons/zz/commands/stop', '{}');
    assert.equal(noDaemon.status, 404);
    assert.match(String(noDaemon.json().reason), /unknown daemon 'zz'/);
    const noCommand = await post('/api/commands/frobnicate', '{}');
    assert.equal(noCommand.status, 404);
    assert.match(String(noCommand.json().reason), /unknown command 'frobnicate'/);
    assert.equal((await post('/api/commands/listen', '{}')).status, 404);
    const getStop = await req({ path: '/api/commands/stop?name=web' });
    assert.equal(getStop.status, 405);
    assert.equal(getStop.headers.allow, 'POST');
    const big = await post('/api/commands/stop', Buffer.alloc(1024 * 1024 + 1, 0x20));
    assert.equal(big.status, 413);
    assert.equal(panel.daemons[0].calls.length, 0, 'nothing ran');
    panel.daemons[0].answer = async () => {
      throw new Error('Timed out.');
    };
    const down = await post('/api/commands/status', '{}');
    assert.equal(down.status, 502);
    assert.match(String(down.json().reason), /circusd at ipc:\/\/\/tmp\/a.sock did not answer 'status': Timed out/);
    assert.equal((await req({ path: '/api/nothing' })).status, 404);
    assert.equal((await req({ path: '/nothing' })).status, 404);
    assert.equal((await req({ path: '/ws' })).status, 426);
  });

  it('serves the pages and assets with their types, and nothing outside the assets folder', async () => {
    const index = await req({ path: '/' });
    assert.equal(index.status, 200);
    assert.match(String(index.headers['content-type']), /^text\/html/);
    assert.match(index.text, /<title>panel/);
    const login = await req({ path: '/login' });
    assert.equal(login.status, 303, 'no login page on a no-login panel');
    assert.equal(login.headers.location, '/');
    const js = await req({ path: '/assets/app.js' });
    assert.match(String(js.headers['content-type']), /^text\/javascript/);
    assert.match(String((await req({ path: '/assets/sub/x.css' })).headers['content-type']), /^text\/css/);
    const uplot = await req({ path: '/assets/vendor/uplot.js' });
    assert.equal(uplot.status, 200);
    assert.match(uplot.text, /uPlot/);
    assert.equal((await req({ path: '/assets/vendor/uplot.css' })).status, 200);
    const cached = await req({ path: '/assets/app.js', headers: { 'If-None-Match': String(js.headers.etag) } });
    assert.equal(cached.status, 304);
    for (const path of ['/assets/../secret.txt', '/assets/..%2Fsecret.txt', '/assets/%2e%2e/secret.txt', '/assets/sub/..%2F..%2Fsecret.txt', '/assets/.hidden', '/assets/escape.txt', '/assets/sub', '/assets/nope.js', '/assets/vendor/x.js', '/assets/%00']) {
      const res = await req({ path });
      assert.notEqual(res.status, 200, path);
      assert.doesNotMatch(res.text, /SECRET|HIDDEN-CONTENT/, path);
    }
    assert.equal((await req({ method: 'POST', path: '/assets/app.js', headers: JSON_TYPE, body: '{}' })).status, 405);
  });
});

describe('plugins/httpd/panel-server: login, sessions, Bearer and throttling (panel with a password)', () => {
  let panel: Panel;
  const req = (r: Parameters<typeof rawRequest>[1]): Promise<RawResponse> => rawRequest(panel.port, r);
  const login = (password: string, headers: Record<string, string> = {}): Promise<RawResponse> =>
    req({ method: 'POST', path: '/login', headers: { ...JSON_TYPE, ...headers }, body: JSON.stringify({ password }) });

  beforeEach(async () => {
    panel = await startPanel({ login: true, throttle: { maxFailures: 3, windowMs: 60_000 } });
  });
  afterEach(async () => {
    await panel.close();
  });

  it('sends the page to the login and refuses the API before login (401); no anonymous session', async () => {
    const index = await req({ path: '/' });
    assert.equal(index.status, 303);
    assert.equal(index.headers.location, '/login');
    assert.equal((await req({ path: '/login' })).status, 200);
    const daemons = await req({ path: '/api/daemons' });
    assert.equal(daemons.status, 401);
    assert.match(String(daemons.json().reason), /log in first/);
    assert.equal((await req({ method: 'POST', path: '/api/commands/stop', headers: JSON_TYPE, body: '{}' })).status, 401);
    const session = await req({ path: '/api/session' });
    assert.deepEqual(session.json(), { loginRequired: true, authenticated: false, csrf: '' });
    assert.equal(session.headers['set-cookie'], undefined);
    assert.equal(panel.daemons[0].calls.length, 0);
  });

  it('logs in with the password: 303 to / with an HttpOnly SameSite=Strict cookie; then the API answers', async () => {
    const res = await login(PASSWORD);
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/');
    assert.match(res.headers['set-cookie']?.[0] ?? '', /^circus_session=[\w-]+; Path=\/; HttpOnly; SameSite=Strict$/);
    const cookie = cookieOf(res);
    assert.equal((await req({ path: '/', headers: { Cookie: cookie } })).status, 200);
    assert.equal((await req({ path: '/login', headers: { Cookie: cookie } })).status, 303);
    assert.equal((await req({ path: '/api/daemons', headers: { Cookie: cookie } })).status, 200);
    const session = (await req({ path: '/api/session', headers: { Cookie: cookie } })).json();
    assert.equal(session.authenticated, true);
    const post = await req({ method: 'POST', path: '/api/commands/stop', headers: { ...JSON_TYPE, Cookie: cookie, 'X-CSRF-Token': String(session.csrf) }, body: '{}' });
    assert.equal(post.status, 200);
  });

  it('refuses a wrong password with 401 and no cookie; a browser form goes back to /login?failed=wrong', async () => {
    const res = await login('wrong');
    assert.equal(res.status, 401);
    assert.equal(res.headers['set-cookie'], undefined);
    assert.match(String(res.json().reason), /wrong password/);
    const form = await req({ method: 'POST', path: '/login', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html' }, body: 'password=nope' });
    assert.equal(form.status, 303);
    assert.equal(form.headers.location, '/login?failed=wrong');
    const good = await req({ method: 'POST', path: '/login', headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html' }, body: `password=${encodeURIComponent(PASSWORD)}` });
    assert.equal(good.status, 303);
    assert.equal(good.headers.location, '/');
    cookieOf(good);
  });

  it('refuses with 429 and Retry-After after repeated failures, even the right password then', async () => {
    for (let i = 0; i < 3; i++) assert.equal((await login('guess')).status, 401);
    const throttled = await login(PASSWORD);
    assert.equal(throttled.status, 429);
    assert.ok(Number(throttled.headers['retry-after']) > 0);
    assert.match(String(throttled.json().reason), /too many failed logins/);
    const bearer = await req({ path: '/api/daemons', headers: { Authorization: `Bearer ${PASSWORD}` } });
    assert.equal(bearer.status, 429, 'Bearer guesses share the throttle');
  });

  it('starts a fresh session at login (no fixation) and ends it at logout', async () => {
    const first = cookieOf(await login(PASSWORD));
    const csrf = String((await req({ path: '/api/session', headers: { Cookie: first } })).json().csrf);
    const second = cookieOf(await login(PASSWORD, { Cookie: first, 'X-CSRF-Token': csrf }));
    assert.notEqual(first, second);
    assert.equal((await req({ path: '/api/daemons', headers: { Cookie: first } })).status, 401, 'the old session is gone');
    const csrf2 = String((await req({ path: '/api/session', headers: { Cookie: second } })).json().csrf);
    const refused = await req({ method: 'POST', path: '/logout', headers: { Cookie: second } });
    assert.equal(refused.status, 403, 'logout needs the CSRF token too');
    const out = await req({ method: 'POST', path: '/logout', headers: { Cookie: second, 'X-CSRF-Token': csrf2 } });
    assert.equal(out.status, 303);
    assert.equal(out.headers.location, '/login');
    assert.match(out.headers['set-cookie']?.[0] ?? '', /Max-Age=0/);
    assert.equal((await req({ path: '/api/daemons', headers: { Cookie: second } })).status, 401);
  });

  it('lets a script use Authorization: Bearer <password> (no CSRF token needed); a wrong one is 401', async () => {
    const ok = await req({ method: 'POST', path: '/api/commands/stop', headers: { ...JSON_TYPE, Authorization: `Bearer ${PASSWORD}` }, body: '{"name":"web"}' });
    assert.equal(ok.status, 200);
    assert.deepEqual(panel.daemons[0].calls, [{ command: 'stop', props: { name: 'web' } }]);
    const wrong = await req({ path: '/api/daemons', headers: { Authorization: 'Bearer nope' } });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.headers['www-authenticate'], 'Bearer');
  });

  it('marks the cookie Secure with secureCookie', async () => {
    await panel.close();
    panel = await startPanel({ login: true, secureCookie: true });
    assert.match((await login(PASSWORD)).headers['set-cookie']?.[0] ?? '', /; Secure$/);
  });
});

describe('plugins/httpd/panel-server: behind a reverse proxy (httpd_allowed_hosts)', () => {
  let panel: Panel;
  afterEach(async () => {
    await panel.close();
  });

  it('accepts the public name in Host and a matching https Origin; still refuses other names and origins', async () => {
    panel = await startPanel({ login: true, allowedHosts: ['panel.example.com'], secureCookie: true });
    const req = (r: Parameters<typeof rawRequest>[1]): Promise<RawResponse> => rawRequest(panel.port, r);
    for (const [host, origin] of [
      ['panel.example.com', 'https://panel.example.com'],
      ['panel.example.com:8443', 'https://panel.example.com:8443'],
    ]) {
      const res = await req({ method: 'POST', path: '/login', headers: { ...JSON_TYPE, Host: host, Origin: origin }, body: JSON.stringify({ password: PASSWORD }) });
      assert.equal(res.status, 303, `${host} ${origin}: ${res.text}`);
      assert.match(res.headers['set-cookie']?.[0] ?? '', /; Secure$/);
    }
    const mismatch = await req({ method: 'POST', path: '/login', headers: { ...JSON_TYPE, Host: 'panel.example.com', Origin: 'https://panel.example.com:8443' }, body: '{}' });
    assert.equal(mismatch.status, 403);
    const other = await req({ path: '/api/session', headers: { Host: 'other.example.com' } });
    assert.equal(other.status, 403);
  });
});
