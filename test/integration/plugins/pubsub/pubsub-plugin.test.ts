/**
 * The pubsub plugin in process: a real arbiter (createArbiter, no watcher)
 * with the plugin registered, events emitted on its bus, a real SUB socket
 * on a unique ipc endpoint.
 */
import 'reflect-metadata';
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Arbiter, createArbiter, defaultCircusConfig, PluginError } from '../../../../kernel';
import { MAX_QUEUED_EVENTS, PubsubPlugin } from '../../../../plugins/pubsub';
import { MemoryLogger } from '../../../support/memory-logger';
import { waitFor } from '../../cli/circusd-harness';
import { EventTap } from './pubsub-helpers';

describe('PubsubPlugin in process (plugins/pubsub/pubsub-plugin.ts)', function () {
  this.timeout(60_000);
  let dir: string;
  let arbiter: Arbiter | null = null;
  let tap: EventTap | null = null;
  let logger: MemoryLogger;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'pubsub-it-'));
    logger = new MemoryLogger('circus');
  });

  afterEach(async () => {
    await tap?.close();
    tap = null;
    await arbiter?.stop();
    arbiter = null;
    assert.deepEqual(
      ['pub.sock'].filter((f) => existsSync(path.join(dir, f))),
      [],
      'no socket file left behind',
    );
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(endpoint = `ipc://${dir}/pub.sock`): Promise<Arbiter> {
    const a = createArbiter({ config: defaultCircusConfig({ check_delay: -1, pubsub_endpoint: endpoint }), logger });
    a.plugins.register({ name: 'pubsub', plugin: PubsubPlugin });
    arbiter = a;
    await a.start();
    return a;
  }

  /** Emits `updated` on a probe watcher until the tap sees one (slow joiner), bounded. */
  async function join(a: Arbiter, t: EventTap): Promise<void> {
    for (let i = 0; i < 100 && !t.events.some((e) => e.topic === 'watcher.probe.updated'); i++) {
      a.bus.emit('updated', 'probe', { time: 1 });
      await waitFor('a probe', () => t.events.length > 0 || undefined, 100).catch(() => undefined);
    }
    assert.ok(t.events.length > 0, 'the subscriber joined');
  }

  it('forwards a burst of bus events in order, each as two frames with the exact body', async () => {
    const a = await start();
    assert.equal(statSync(path.join(dir, 'pub.sock')).mode & 0o777, 0o600);
    tap = new EventTap(`ipc://${dir}/pub.sock`);
    await join(a, tap);
    const from = tap.mark();
    const n = 500;
    for (let i = 0; i < n; i++) a.bus.emit('spawn', 'My Web', { process_pid: 1000 + i, time: 1717171717 + i / 8 });
    a.bus.emit('hook_failure', 'My Web', { name: 'before_start', time: 5, error: 'bad "quote"' });
    const evs = await tap.until('the burst', from, 'watcher.my_web.', (e) => e.length >= n + 1);
    assert.equal(evs.length, n + 1);
    for (let i = 0; i < n; i++) {
      assert.equal(evs[i].topic, 'watcher.my_web.spawn');
      const t = 1717171717 + i / 8;
      assert.equal(evs[i].body, `{"process_pid": ${1000 + i}, "time": ${Number.isInteger(t) ? `${t}.0` : String(t)}}`);
    }
    assert.deepEqual(evs[n], { topic: 'watcher.my_web.hook_failure', body: '{"name": "before_start", "time": 5.0, "error": "bad \\"quote\\""}' });
    assert.equal(tap.malformed, 0);
  });

  it('publishes only Circus catalogue events: an in-process event such as stats.sample never becomes a topic', async () => {
    const a = await start();
    tap = new EventTap(`ipc://${dir}/pub.sock`);
    await join(a, tap);
    const from = tap.mark();
    const emit = a.bus.emit.bind(a.bus) as unknown as (name: string, watcher: string, payload: object) => void;
    emit('stats.sample', 'circusd-stats', { time: 1, watchers: {} });
    a.bus.emit('spawn', 'w', { process_pid: 7, time: 2 });
    const evs = await tap.until('the spawn', from, 'watcher.', (e) => e.some((x) => x.topic === 'watcher.w.spawn'));
    assert.deepEqual(
      evs.map((e) => e.topic),
      ['watcher.w.spawn'],
    );
  });

  it('drops (and counts) events past the queue bound instead of growing without limit', async () => {
    const a = await start();
    // Synchronous emits: nothing can be sent in between, so the queue fills.
    for (let i = 0; i < MAX_QUEUED_EVENTS + 25; i++) a.bus.emit('kill', 'w', { process_pid: i, time: 1 });
    assert.ok(logger.has(`more than ${MAX_QUEUED_EVENTS} events waiting; dropping new ones`));
    // The first event went straight to the socket (in flight, not queued): 24 dropped.
    await waitFor('the drop count', () => logger.has('pubsub: 24 events were dropped') || undefined, 20_000);
  });

  it('stops publishing and removes the ipc file when the arbiter stops', async () => {
    const a = await start();
    await a.stop();
    arbiter = null;
    assert.equal(existsSync(path.join(dir, 'pub.sock')), false);
    // An event after the stop goes nowhere and breaks nothing.
    a.bus.emit('stop', 'w', { time: 1 });
  });

  it('a bind failure names the plugin and the endpoint', async () => {
    const missing = path.join(dir, 'no', 'such', 'dir', 'pub.sock');
    await assert.rejects(start(`ipc://${missing}`), (err: unknown) => {
      assert.ok(err instanceof PluginError, String(err));
      assert.match((err as Error).message, new RegExp(`pubsub.*could not bind pubsub_endpoint ipc://${missing.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: `));
      return true;
    });
  });
});
