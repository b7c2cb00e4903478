import 'reflect-metadata';
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Dealer } from 'zeromq';
import { waitFor } from '../../kernel/helpers';
import { Sandbox, workerConfig } from '../../cli/circusd-harness';
import { call, Clients, ControlRig, receiveFrames, send, startRig } from './control-helpers';

/** Resident memory of a process in MiB, from /proc. */
function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]) / 1024;
}

describe('plugins/control limits over a real ROUTER: max_request_size, max_requests_per_client', function () {
  let rig: ControlRig | null = null;
  let clients: Clients;
  let dir: string;
  let endpoint: string;

  beforeEach(() => {
    clients = new Clients();
    dir = mkdtempSync(path.join(tmpdir(), 'circus-limits-'));
    endpoint = `ipc://${dir}/ctl.sock`;
  });

  afterEach(async () => {
    clients.closeAll();
    rig?.slow.resolve({});
    rig?.held.resolve();
    await rig?.arbiter.stop();
    rig = null;
    assert.ok(clients.allClosed);
    assert.equal(existsSync(`${dir}/ctl.sock`), false, 'the socket file is removed');
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes the frame size bound from [circus] max_request_size: a larger frame disconnects its sender only', async () => {
    rig = await startRig({ endpoint, max_request_size: 2048 });
    const fits = clients.connect(endpoint);
    const padded = JSON.stringify({ command: 'tlist', id: 'fits', pad: '' });
    const body = JSON.stringify({ command: 'tlist', id: 'fits', pad: ' '.repeat(2048 - Buffer.byteLength(padded)) });
    assert.equal(Buffer.byteLength(body), 2048);
    assert.equal((await call(fits, body)).id, 'fits');
    const huge = clients.connect(endpoint, undefined, 500);
    let disconnected = false;
    huge.events.on('disconnect', () => (disconnected = true));
    await send(huge, Buffer.alloc(2049, 0x20));
    await waitFor('the daemon to disconnect the client of a 2049-byte frame', () => disconnected, 5000);
    await assert.rejects(receiveFrames(huge), /timed out/);
    assert.equal((await call(fits, { command: 'tlist', id: 'still' })).id, 'still');
  });

  it('answers errno 5 at once to a request beyond max_requests_per_client in flight; other clients are served', async () => {
    rig = await startRig({ endpoint, max_requests_per_client: 4 });
    const busy = clients.connect(endpoint, 'busy-client');
    for (let i = 0; i < 4; i += 1) await send(busy, { command: 'tslow', properties: { waiting: true }, id: i });
    const other = clients.connect(endpoint, 'other-client');
    // The other client sees the 4 slow commands running before the fifth is sent.
    await waitFor('4 requests in flight', async () => (await call(other, { command: 'tlist' })).status === 'ok');
    const refused = await call(busy, { command: 'tlist', id: 'fifth' });
    assert.deepEqual(
      [refused.status, refused.errno, refused.reason, refused.tb, refused.id],
      ['error', 5, 'too many requests in flight from this client (max_requests_per_client = 4)', null, 'fifth'],
    );
    assert.equal((await call(other, { command: 'tslow', properties: { waiting: false }, id: 'o' })).status, 'ok');
    rig.slow.resolve({ done: true });
    const ids = [];
    for (let i = 0; i < 4; i += 1) ids.push(JSON.parse((await receiveFrames(busy))[0]).id as number);
    assert.deepEqual(ids.sort(), [0, 1, 2, 3]);
    assert.equal((await call(busy, { command: 'tlist', id: 'after' })).status, 'ok');
    assert.equal(rig.logger.lines.filter((l) => l.includes('requests in flight; refusing more')).length, 1);
  });
});

describe('circusd with a client that floods the control endpoint and never reads its replies', function () {
  this.timeout(120_000);
  let box: Sandbox;
  const sockets: Dealer[] = [];

  beforeEach(() => {
    box = new Sandbox();
  });

  afterEach(async () => {
    for (const s of sockets.splice(0)) if (!s.closed) s.close();
    await box.cleanup();
  });

  /**
   * 5 rounds x 1500 requests of 64 KiB whose replies echo the 64 KiB id
   * (469 MiB of replies in all, none read). Kept replies would grow
   * circusd's memory by that much; with the bounded reply queue it levels
   * off (what remains is V8 and malloc keeping freed buffers), and a
   * second client is answered after every round.
   */
  it('keeps its memory bounded (levels off across rounds) and keeps serving other clients', async () => {
    const ROUNDS = 5;
    const PER_ROUND = 1500;
    const ID = 'x'.repeat(64 * 1024);
    const config = box.writeConfig('c.ini', workerConfig(1, 'max_requests_per_client = 16'));
    const run = box.start([config]);
    const file = path.join(box.dir, 'ctl.sock');
    await waitFor('the control socket file', () => existsSync(file), 15_000);
    const probe = new Dealer({ linger: 0, receiveTimeout: 20_000 });
    const hog = new Dealer({ linger: 0, receiveHighWaterMark: 1, sendHighWaterMark: 16, sendTimeout: 20_000 });
    sockets.push(probe, hog);
    probe.connect(`ipc://${file}`);
    hog.connect(`ipc://${file}`);
    assert.equal((await call(probe, { command: 'status', id: 'base' })).status, 'ok');
    const base = rssMiB(run.pid);
    const peaks: number[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      let peak = 0;
      for (let i = 0; i < PER_ROUND; i += 1) {
        await hog.send(`{"command": "list", "id": "${ID}${i}"}`);
        if (i % 100 === 0) peak = Math.max(peak, rssMiB(run.pid));
      }
      const reply = await call(probe, { command: 'status', id: `round ${round}` });
      assert.deepEqual([reply.status, reply.id], ['ok', `round ${round}`]);
      peaks.push(Math.max(peak, rssMiB(run.pid)) - base);
    }
    const sentMiB = (ROUNDS * PER_ROUND * ID.length) / 2 ** 20;
    const early = Math.max(peaks[0], peaks[1]);
    const late = Math.max(...peaks.slice(2));
    const figures = `RSS growth per round (MiB): ${peaks.map((p) => p.toFixed(0)).join(', ')}; ${sentMiB} MiB of replies unread`;
    // Kept replies would add 96 MiB per round: the last rounds must not grow by one round's worth.
    assert.ok(late < early + sentMiB / ROUNDS, figures);
    assert.ok(Math.max(...peaks) < sentMiB * 0.75, figures);
    assert.equal(run.child.exitCode, null, 'circusd is still running');
  });
});
