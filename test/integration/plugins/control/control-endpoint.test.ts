import 'reflect-metadata';
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Router } from 'zeromq';
import { PluginError } from '../../../../kernel';
import { MAX_MESSAGE_SIZE } from '../../../../plugins/control';
import { waitFor } from '../../kernel/helpers';
import { call, Clients, ControlRig, freePort, ipcFileExists, portIsFree, receiveFrames, send, startRig } from './control-helpers';

const FLOAT_TIME = /"time": \d+\.\d+/;

describe('plugins/control over tcp: a real ROUTER, a raw DEALER (spec/protocol.md 1.2-1.7)', function () {
  let rig: ControlRig | null = null;
  let clients: Clients;
  let port: number;
  let endpoint: string;

  beforeEach(async () => {
    clients = new Clients();
    port = await freePort();
    endpoint = `tcp://127.0.0.1:${port}`;
    rig = await startRig({ endpoint });
  });

  afterEach(async () => {
    clients.closeAll();
    rig?.held.resolve();
    rig?.slow.resolve({});
    await rig?.arbiter.stop();
    rig = null;
    assert.ok(clients.allClosed);
    await waitFor('the control port to be released', () => portIsFree(port), 5000);
  });

  it('answers one frame, the JSON of spec 1.4, the id echoed, to a DEALER with a 32-hex identity', async () => {
    const dealer = clients.connect(endpoint, 'a'.repeat(32));
    await send(dealer, { command: 'tlist', properties: {}, id: 'x' });
    const frames = await receiveFrames(dealer);
    assert.equal(frames.length, 1);
    assert.match(frames[0], FLOAT_TIME);
    assert.match(frames[0], /^\{"status": "ok", "time": \d+\.\d+, "watchers": \["web", "worker"\], "check_delay": 5\.0, "id": "x"\}$/);
    // A client without an explicit identity works too, and the name is case-insensitive.
    const anon = clients.connect(endpoint);
    const r = await call(anon, { command: 'TLIST' });
    assert.equal(r.status, 'ok');
    assert.equal(r.id, null);
  });

  it('maps every error kind to its errno and reason', async () => {
    const dealer = clients.connect(endpoint);
    const err = async (body: object) => {
      const r = await call(dealer, body);
      assert.deepEqual(Object.keys(r), ['status', 'reason', 'tb', 'time', 'errno', 'id']);
      return r;
    };
    assert.deepEqual(
      { ...(await err({ command: 'nope', id: 1 })), time: 0 },
      { status: 'error', reason: "unknown command: 'nope'", tb: null, time: 0, errno: 2, id: 1 },
    );
    assert.deepEqual(
      [(await err({ command: 'targ', id: 2 })).errno, (await err({ command: 'targ', id: 2 })).reason],
      [3, "message invalid 'name' is missing"],
    );
    const arg = await err({ command: 'targ', properties: { name: 'web' } });
    assert.deepEqual([arg.errno, arg.reason, arg.tb], [3, 'signal invalid', null]);
    const missing = await err({ command: 'tmissing', properties: { name: 'WeB' } });
    assert.deepEqual([missing.errno, missing.reason], [3, 'program WeB not found']);
    const os = await err({ command: 'tos' });
    assert.deepEqual([os.errno, os.reason, os.tb], [4, "[Errno 2] No such file or directory: '/nonexistent-circus-ts-file'", null]);
    const raw = '{"command": "tboom", "id": "b"}';
    const boom = await err(JSON.parse(raw) as object);
    assert.equal(boom.errno, 5);
    assert.equal(boom.reason, `command b'{"command":"tboom","id":"b"}': kaboom`);
    assert.match(String(boom.tb), /^Error: kaboom/);
    const props = await err({ command: 'tlist', properties: [37], id: 'p' });
    assert.deepEqual([props.errno, props.reason, props.id], [3, 'properties must be an object', 'p']);
  });

  it('answers a background command at once without waiting, and when it settles with waiting', async () => {
    const dealer = clients.connect(endpoint);
    const bare = await call(dealer, { command: 'tslow', id: 'nw' });
    assert.deepEqual(Object.keys(bare), ['status', 'time', 'id']);
    assert.equal(bare.status, 'ok');
    await send(dealer, { command: 'tslow', properties: { waiting: true }, id: 'w' });
    rig!.slow.resolve({ info: { started: [12, 3], kept: [] } });
    const [waited] = await receiveFrames(dealer);
    assert.match(waited, /^\{"status": "ok", "time": \d+\.\d+, "info": \{"started": \[12, 3\], "kept": \[\]\}, "id": "w"\}$/);
  });

  it('a lock held by a background command makes a second one fail with errno 5, tb null', async () => {
    const dealer = clients.connect(endpoint);
    assert.equal((await call(dealer, { command: 'tlock' })).status, 'ok');
    const second = await call(dealer, { command: 'tlock', id: 'c' });
    assert.deepEqual([second.errno, second.reason, second.tb], [5, 'arbiter is already running watcher_stop command', null]);
    rig!.held.resolve();
    await waitFor('the lock to be released', () => rig!.arbiter.lock.running === null);
    assert.equal((await call(dealer, { command: 'tlock' })).status, 'ok');
  });

  it('never answers a cast; the next request on the same socket gets the first reply', async () => {
    const dealer = clients.connect(endpoint);
    await send(dealer, { command: 'tlist', msg_type: 'cast', id: 'cast-1' });
    await send(dealer, { command: 'nope', msg_type: 'cast', id: 'cast-2' });
    await send(dealer, { command: 'tslow', msg_type: 'cast', properties: { waiting: true }, id: 'cast-3' });
    const r = await call(dealer, { command: 'tlist', id: 'after' });
    assert.equal(r.id, 'after');
    rig!.slow.resolve({});
    assert.equal((await call(dealer, { command: 'tlist', id: 'again' })).id, 'again');
  });

  it('drops 3-frame messages, empty bodies, non-object JSON and a missing command, and keeps serving', async () => {
    const dealer = clients.connect(endpoint);
    // A REQ-style delimiter frame: the ROUTER sees 3 frames.
    await dealer.send(['', JSON.stringify({ command: 'tlist', id: 'req' })]);
    await dealer.send([JSON.stringify({ command: 'tlist', id: 'multi' }), 'extra']);
    for (const body of ['', '   ', '[1]', '"tlist"', 'null', '{"properties": {}}', '{"command": 5}']) await send(dealer, body);
    const invalid = await call(dealer, 'not json');
    assert.deepEqual({ ...invalid, time: 0 }, { status: 'error', reason: 'json invalid', tb: null, time: 0, errno: 1, id: null });
    assert.equal((await call(dealer, { command: 'tlist', id: 'still' })).id, 'still');
    assert.equal(rig!.logger.lines.filter((l) => l.includes('dropped a control message')).length, 9);
  });

  it('runs commands concurrently: a waited slow command does not delay another client', async () => {
    const slowClient = clients.connect(endpoint);
    const fastClient = clients.connect(endpoint);
    await send(slowClient, { command: 'tslow', properties: { waiting: true }, id: 'slow' });
    let slowAnswered = false;
    const slowReply = receiveFrames(slowClient).then((f) => ((slowAnswered = true), JSON.parse(f[0]) as Record<string, unknown>));
    const fast = await call(fastClient, { command: 'tlist', id: 'fast' });
    assert.equal(fast.id, 'fast');
    assert.equal(slowAnswered, false, 'the slow command answered before its work ended');
    rig!.slow.resolve({ done: true });
    assert.deepEqual([(await slowReply).id, (await slowReply).done], ['slow', true]);
  });

  it('drops the reply of a client that left, and disconnects a client sending more than the maximum size', async () => {
    const leaving = clients.connect(endpoint);
    await send(leaving, { command: 'tslow', properties: { waiting: true }, id: 'gone' });
    await waitFor('the slow command to be running', async () => {
      const probe = clients.connect(endpoint);
      const r = await call(probe, { command: 'tlist' });
      probe.close();
      return r.status === 'ok';
    });
    leaving.close();
    rig!.slow.resolve({});
    const huge = clients.connect(endpoint, undefined, 500);
    let disconnected = false;
    huge.events.on('disconnect', () => (disconnected = true));
    await send(huge, Buffer.alloc(MAX_MESSAGE_SIZE + 1, 0x20));
    await waitFor('the daemon to disconnect the client of a huge message', () => disconnected, 5000);
    await assert.rejects(receiveFrames(huge), /timed out/);
    const other = clients.connect(endpoint);
    assert.equal((await call(other, { command: 'tlist', id: 'ok' })).id, 'ok');
    assert.ok(!rig!.logger.has('could not send'), rig!.logger.lines.join('\n'));
  });
});

describe('plugins/control over ipc and at start', () => {
  let dir: string;
  let clients: Clients;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'circus-control-'));
    clients = new Clients();
  });

  afterEach(() => {
    clients.closeAll();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves an ipc endpoint whose socket file is mode 0600, and removes the file at stop', async () => {
    const file = path.join(dir, 'ctl.sock');
    const rig = await startRig({ endpoint: `ipc://${file}` });
    try {
      assert.equal(statSync(file).mode & 0o777, 0o600);
      const dealer = clients.connect(`ipc://${file}`);
      const r = await call(dealer, { command: 'tlist', id: 'ipc' });
      assert.deepEqual([r.status, r.id], ['ok', 'ipc']);
    } finally {
      clients.closeAll();
      await rig.arbiter.stop();
    }
    assert.equal(ipcFileExists(file), false);
  });

  it('fails the arbiter start naming the endpoint when the port is in use', async () => {
    const port = await freePort();
    const squatter = new Router({ linger: 0 });
    await squatter.bind(`tcp://127.0.0.1:${port}`);
    try {
      await assert.rejects(startRig({ endpoint: `tcp://127.0.0.1:${port}` }), (err: unknown) => {
        assert.ok(err instanceof PluginError);
        assert.equal(err.message, `plugin 'control': failed to start: could not bind tcp://127.0.0.1:${port}: Address already in use`);
        return true;
      });
    } finally {
      squatter.close();
    }
    await waitFor('the port to be released', () => portIsFree(port), 5000);
  });

  it('refuses an unknown endpoint_owner at start, leaving no socket file', async () => {
    const file = path.join(dir, 'owner.sock');
    await assert.rejects(
      startRig({ endpoint: `ipc://${file}`, endpoint_owner: 'no-such-user-circus-ts' }),
      /endpoint_owner 'no-such-user-circus-ts': no such user/,
    );
    assert.equal(ipcFileExists(file), false);
  });

  it('chowns the socket file to endpoint_owner (the current user here)', async () => {
    const file = path.join(dir, 'mine.sock');
    const uid = process.getuid!();
    const rig = await startRig({ endpoint: `ipc://${file}`, endpoint_owner: String(uid) });
    try {
      assert.equal(statSync(file).uid, uid);
      assert.equal(statSync(file).mode & 0o777, 0o600);
    } finally {
      await rig.arbiter.stop();
    }
  });
});
