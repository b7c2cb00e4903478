/**
 * The pubsub endpoint of the built circusd as a socket: its ipc file, a
 * bind failure, `circusctl listen` against it, and subscribers that go
 * away or never read (spec/protocol.md 4.1, 2.10).
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { Publisher, Subscriber } from 'zeromq';
import { CircusdRun, ROOT, waitFor, workerConfig } from '../../cli/circusd-harness';
import { portIsFree } from '../control/control-helpers';
import { freePort } from '../../../support/free-port';
import { Control, EventTap, kind, PROCESS_BODY, pubsubRig } from './pubsub-helpers';

const CIRCUSCTL = path.join(ROOT, 'build', 'cli', 'circusctl.js');
/** Keys `set` announces with one `updated` each and otherwise ignores (spec 2.20): a cheap event source. */
const NOISE = { retry_in: 1, max_retry: 1, respawn: true, copy_env: false, singleton: false };

describe('circusd pubsub endpoint: socket file, bind failure, listen, subscribers that leave (plugins/pubsub)', function () {
  this.timeout(90_000);
  const rig = pubsubRig();

  /** Starts circusd with two workers; returns once the tap is known subscribed. */
  function daemon(): Promise<{ ctl: Control; tap: EventTap }> {
    return rig.daemon(workerConfig(2), 'workers', () => waitFor('two workers', () => rig.box.workerPids().length === 2 || undefined, 20_000));
  }

  it('restricts the ipc socket file to its owner, publishes the quit events, and removes the file at exit', async () => {
    const { tap } = await daemon();
    const file = path.join(rig.box.dir, 'pub.sock');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const from = tap.mark();
    const daemonRun = rig.run as CircusdRun;
    daemonRun.child.kill('SIGTERM');
    assert.equal((await daemonRun.exited).code, 0, daemonRun.stderr());
    assert.equal(existsSync(file), false);
    // The quit's kill, reap and stop went out before the socket closed.
    const names = (await tap.until('the quit events', from, 'watcher.workers.', (e) => e.some((x) => kind(x) === 'stop'))).map(kind);
    assert.deepEqual([...names].sort(), ['kill', 'kill', 'reap', 'reap', 'stop'], names.join(','));
    assert.equal(names[names.length - 1], 'stop');
  });

  it('exits 1 naming pubsub_endpoint when its port is already in use, before any watcher starts', async () => {
    const port = await freePort();
    const squatter = new Publisher({ linger: 0 });
    await squatter.bind(`tcp://127.0.0.1:${port}`);
    try {
      const config = rig.box.writeConfig(
        'c.ini',
        `[circus]\nendpoint = ipc://{dir}/ctl.sock\npubsub_endpoint = tcp://127.0.0.1:${port}\n\n[watcher:w]\ncmd = {node} {worker} {dir}\n`,
      );
      const r = await rig.box.run([config]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`plugin 'pubsub': .*could not bind pubsub_endpoint tcp://127\\.0\\.0\\.1:${port}: Address already in use`));
      assert.deepEqual(rig.box.workerPids(), [], 'no watcher was started');
      assert.equal(existsSync(path.join(rig.box.dir, 'ctl.sock')), false, 'the control endpoint was closed again');
    } finally {
      squatter.close();
    }
    await waitFor('the port to be released', () => portIsFree(port), 5000);
  });

  it('circusctl listen prints the events of our circusd as Python circusctl does, until Ctrl-C', async () => {
    const { ctl } = await daemon();
    const child = spawn(process.execPath, [CIRCUSCTL, '--endpoint', `ipc://${rig.box.dir}/pub.sock`, 'listen', 'watcher.workers.'], {
      env: { ...process.env, CIRCUSCTL_ENDPOINT: undefined },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    const done = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    rig.closers.push(async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await done;
    });
    // Slow joiner: announce until listen has printed one, bounded.
    for (let i = 0; i < 150 && !out.includes('.updated'); i++) {
      await ctl.call('set', { name: 'workers', options: { retry_in: 1 }, waiting: true });
      await new Promise((r) => setTimeout(r, 100));
    }
    const from = out.length;
    await ctl.call('incr', { name: 'workers', waiting: true });
    await waitFor('listen to print the spawn', () => /\.spawn'/.test(out.slice(from)) || undefined);
    child.kill('SIGINT');
    assert.equal(await done, 1);
    const lines = out.split('\n').filter(Boolean);
    for (const line of lines) {
      assert.match(line, /^b'watcher\.workers\.(updated|spawn)': b'\{.*\}'$/, line);
    }
    const spawnLine = lines.find((l) => l.includes('.spawn'));
    assert.ok(spawnLine);
    const body = /: b'(.*)'$/.exec(spawnLine)?.[1] ?? '';
    assert.match(body, PROCESS_BODY);
    assert.ok(lines.some((l) => /^b'watcher\.workers\.updated': b'\{"time": \d+\.\d+\}'$/.test(l)));
  });

  it('a subscriber that leaves mid-stream, and one that never reads, do not disturb the daemon or other subscribers', async () => {
    const { ctl, tap } = await daemon();
    // One that never reads, with a tiny queue: PUB drops for it instead of waiting.
    const stuck = new Subscriber({ linger: 0, receiveHighWaterMark: 1 });
    stuck.connect(`ipc://${rig.box.dir}/pub.sock`);
    stuck.subscribe('');
    rig.closers.push(() => stuck.close());
    // One that reads a little and then disconnects while events keep coming.
    const leaver = new Subscriber({ linger: 0 });
    leaver.connect(`ipc://${rig.box.dir}/pub.sock`);
    leaver.subscribe('watcher.');
    let leaverGot = 0;
    const leaverLoop = (async () => {
      for await (const frames of leaver) {
        if (frames.length === 2 && ++leaverGot >= 3) break;
      }
      leaver.close();
    })();
    rig.closers.push(async () => {
      if (!leaver.closed) leaver.close();
      await leaverLoop;
    });

    const from = tap.mark();
    const rounds = 60;
    for (let i = 0; i < rounds; i++) await ctl.call('set', { name: 'workers', options: NOISE, waiting: true });
    const expected = rounds * Object.keys(NOISE).length;
    const evs = await tap.until(`${expected} updated events`, from, 'watcher.workers.', (e) => e.length >= expected);
    assert.equal(evs.length, expected, 'every event reached the subscriber that keeps up, none twice');
    assert.ok(evs.every((e) => e.topic === 'watcher.workers.updated'));
    await waitFor('the leaving subscriber to have left', () => leaver.closed || undefined, 10_000);

    // The daemon still serves commands and publishes in order.
    const next = tap.mark();
    await ctl.call('incr', { name: 'workers', waiting: true });
    const spawned = await tap.until('a spawn after the storm', next, 'watcher.workers.', (e) => e.length >= 1);
    assert.match(spawned[0].body, PROCESS_BODY);
    assert.equal(((await ctl.call('numprocesses', { name: 'workers' })).numprocesses as number), 3);
  });
});
