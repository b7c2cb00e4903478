import { strict as assert } from 'node:assert';
import { type Panel, PASSWORD, startPanel } from './panel-fixture';
import { cookieOf, rawRequest, RecordingSocket, until } from './helpers';

describe('plugins/httpd/ws-hub: the /ws websocket', () => {
  let panel: Panel | null = null;
  const sockets: RecordingSocket[] = [];
  const connect = (headers: Record<string, string> = {}): RecordingSocket => {
    const s = new RecordingSocket((panel as Panel).port, headers);
    sockets.push(s);
    return s;
  };

  afterEach(async () => {
    for (const s of sockets.splice(0)) await s.close();
    await panel?.close();
    panel = null;
  });

  it('says hello with every daemon, then one state per daemon, then the daemons’ messages', async () => {
    panel = await startPanel();
    const ws = connect();
    await ws.opened();
    const [hello, stateA, stateB] = await ws.received(3);
    assert.equal(hello.type, 'hello');
    assert.deepEqual((hello.daemons as { id: string }[]).map((d) => d.id), ['a', 'b']);
    assert.deepEqual(stateA, { type: 'state', daemon: 'a', watchers: [{ name: 'web', status: 'active', pids: [101, 102] }] });
    assert.equal(stateB.daemon, 'b');
    panel.daemons[1].emit({ type: 'event', daemon: 'b', topic: 'watcher.web.stop', watcher: 'web', event: 'stop', data: { time: 1 } });
    panel.daemons[0].emit({ type: 'stats', daemon: 'a', time: 2, samples: [{ watcher: 'web', pid: null, cpu: 1.5, mem: 0.1, mem_info1: null }] });
    const [event] = await ws.received(1, 'event');
    assert.equal(event.topic, 'watcher.web.stop');
    const [stats] = await ws.received(1, 'stats');
    assert.equal(stats.daemon, 'a');
  });

  it('sends output only to the clients tailing that watcher (names matched as the topic writes them), until tail null', async () => {
    panel = await startPanel();
    const tailer = connect();
    const other = connect();
    await tailer.opened();
    await other.opened();
    await tailer.received(3);
    await other.received(3);
    tailer.send({ type: 'tail', daemon: 'a', watcher: 'My Web' });
    // The tail request is handled when it arrives: a marker message sent after it proves the order.
    await until('the tail request to be handled', async () => {
      panel?.daemons[0].emit({ type: 'output', daemon: 'a', watcher: 'my_web', stream: 'stdout', pid: 7, data: 'probe\n', time: 1 });
      await new Promise((r) => setTimeout(r, 20));
      return tailer.messages.some((m) => m.type === 'output');
    });
    panel.daemons[0].emit({ type: 'output', daemon: 'a', watcher: 'other', stream: 'stdout', pid: 8, data: 'not tailed\n', time: 2 });
    panel.daemons[1].emit({ type: 'output', daemon: 'b', watcher: 'my_web', stream: 'stderr', pid: 9, data: 'other daemon\n', time: 3 });
    panel.daemons[0].emit({ type: 'output', daemon: 'a', watcher: 'my_web', stream: 'stderr', pid: 7, data: 'line 2\n', time: 4 });
    panel.daemons[0].emit({ type: 'event', daemon: 'a', topic: 'watcher.web.spawn', watcher: 'web', event: 'spawn', data: {} });
    await tailer.received(1, 'event');
    await other.received(1, 'event');
    const outputs = tailer.messages.filter((m) => m.type === 'output');
    assert.ok(outputs.every((m) => m.daemon === 'a' && m.watcher === 'my_web'), JSON.stringify(outputs));
    assert.ok(outputs.some((m) => m.data === 'line 2\n'));
    assert.equal(other.messages.filter((m) => m.type === 'output').length, 0);
    tailer.send({ type: 'tail', daemon: 'a', watcher: null });
    tailer.send({ type: 'bogus' });
    const before = tailer.messages.length;
    await until('the untail to be handled', async () => {
      panel?.daemons[0].emit({ type: 'event', daemon: 'a', topic: 'watcher.web.reap', watcher: 'web', event: 'reap', data: {} });
      panel?.daemons[0].emit({ type: 'output', daemon: 'a', watcher: 'my_web', stream: 'stdout', pid: 7, data: 'after\n', time: 5 });
      await new Promise((r) => setTimeout(r, 20));
      const tail = tailer.messages.slice(before);
      return tail.length >= 2 && tail[tail.length - 1].type === 'event' && tail[tail.length - 2].type === 'event';
    });
  });

  it('refuses the upgrade without a login (401), from another site (403) or for a foreign Host (403)', async () => {
    panel = await startPanel({ login: true });
    const anonymous = connect();
    await assert.rejects(anonymous.opened(), /websocket refused: 401/);
    const res = await rawRequest(panel.port, { method: 'POST', path: '/login', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ password: PASSWORD }) });
    const cookie = cookieOf(res);
    const evil = connect({ Cookie: cookie, Origin: 'http://evil.example' });
    await assert.rejects(evil.opened(), /websocket refused: 403/);
    const rebound = connect({ Cookie: cookie, Host: `evil.example:${panel.port}` });
    await assert.rejects(rebound.opened(), /websocket refused: 403/);
    const bearer = connect({ Authorization: `Bearer ${PASSWORD}` });
    await bearer.opened();
    const ok = connect({ Cookie: cookie });
    await ok.opened();
    assert.equal((await ok.received(1))[0].type, 'hello');
    assert.equal(panel.server.websocketClients, 2);
  });

  it('closes the websockets of a session at its logout', async () => {
    panel = await startPanel({ login: true });
    const res = await rawRequest(panel.port, { method: 'POST', path: '/login', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ password: PASSWORD }) });
    const cookie = cookieOf(res);
    const ws = connect({ Cookie: cookie });
    await ws.opened();
    const csrf = String((await rawRequest(panel.port, { path: '/api/session', headers: { Cookie: cookie } })).json().csrf);
    await rawRequest(panel.port, { method: 'POST', path: '/logout', headers: { Cookie: cookie, 'X-CSRF-Token': csrf } });
    await until('the websocket of the logged-out session to close', () => ws.closed);
  });

  it('drops a client that does not read (over maxBufferedBytes unsent) instead of buffering for it', async () => {
    panel = await startPanel({ websocket: { maxBufferedBytes: 256 * 1024 } });
    const slow = connect();
    const fast = connect();
    await slow.opened();
    await fast.opened();
    await slow.received(3);
    // The browser stops reading: the kernel's socket buffers fill, then the server's.
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const big = 'x'.repeat(64 * 1024);
    let sent = 0;
    for (; sent < 2000 && panel.server.websocketClients === 2; sent++) {
      panel.daemons[0].emit({ type: 'event', daemon: 'a', topic: 'watcher.web.x', watcher: 'web', event: 'x', data: { big } });
      if (sent % 16 === 15) await new Promise((r) => setImmediate(r));
    }
    assert.equal(panel.server.websocketClients, 1, `the slow client was dropped (after ${sent} messages)`);
    assert.ok(panel.logger.has('dropping a websocket client'));
    // The reading client still gets what comes next.
    panel.daemons[0].emit({ type: 'event', daemon: 'a', topic: 'watcher.web.last', watcher: 'web', event: 'last', data: {} });
    await until('the reading client to get the last event', () => fast.messages.some((m) => m.topic === 'watcher.web.last'), 20_000);
  });

  it('refuses clients beyond maxClients with 503', async () => {
    panel = await startPanel({ websocket: { maxClients: 2 } });
    await connect().opened();
    await connect().opened();
    await assert.rejects(connect().opened(), /websocket refused: 503/);
  });

  it('unsubscribes from the daemons when the server closes', async () => {
    panel = await startPanel();
    assert.equal(panel.daemons[0].listenerCount, 1);
    const ws = connect();
    await ws.opened();
    await panel.close();
    assert.equal(panel.daemons[0].listenerCount, 0);
    await until('the client to see the close', () => ws.closed);
    panel = null;
  });
});
