/**
 * The pubsub endpoint of the built circusd (spec/protocol.md 4): a real
 * zeromq SUB socket subscribed to `watcher.` sees each scenario of section
 * 4.2 with the exact topic and JSON body, while raw DEALER requests drive
 * the daemon.
 */
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { CircusdRun, Sandbox, waitFor, WORKER, workerConfig } from '../../cli/circusd-harness';
import { Control, endDaemon, EventTap, kind, pidOf, PROCESS_BODY, RawEvent, REAP_BODY, syncTap, TIME_BODY } from './pubsub-helpers';

const HOOKS = `'use strict';
exports.ok = () => true;
exports.boom = () => { throw new Error('boom'); };
`;

function kinds(events: readonly RawEvent[]): string[] {
  return events.map(kind);
}

function count(events: readonly RawEvent[], name: string): number {
  return events.filter((e) => kind(e) === name).length;
}

describe('circusd publishes every event on pubsub_endpoint (plugins/pubsub)', function () {
  this.timeout(90_000);
  let box: Sandbox;
  let tap: EventTap | null = null;
  let ctl: Control | null = null;
  let run: CircusdRun | null = null;

  beforeEach(() => {
    box = new Sandbox();
  });

  afterEach(async () => {
    ctl?.close();
    ctl = null;
    await tap?.close();
    tap = null;
    if (run) await endDaemon(box, run);
    run = null;
    await box.cleanup();
  });

  /** Starts circusd on workerConfig(2) plus `extra` sections; returns once the tap is known subscribed. */
  async function daemon(extra = ''): Promise<{ tap: EventTap; ctl: Control; run: CircusdRun }> {
    writeFileSync(path.join(box.dir, 'hooks.js'), HOOKS);
    const config = box.writeConfig('c.ini', workerConfig(2) + extra);
    run = box.start([config]);
    await waitFor('two workers', () => box.workerPids().length === 2 || undefined, 20_000);
    ctl = new Control(`ipc://${box.dir}/ctl.sock`);
    tap = new EventTap(`ipc://${box.dir}/pub.sock`);
    await syncTap(tap, ctl, 'workers');
    return { tap, ctl, run };
  }

  it('spawn, reap after kill -9 (exit_code -9), kill, stop, start and updated: exact topics and bodies', async () => {
    const { tap, ctl } = await daemon();
    const W = 'watcher.workers.';

    // updated after set: one event per key, body {"time": float}.
    let from = tap.mark();
    await ctl.call('set', { name: 'workers', options: { retry_in: 2, max_retry: 3 }, waiting: true });
    let evs = await tap.until('two updated', from, W, (e) => e.length >= 2);
    assert.deepEqual(evs.map((e) => e.topic), [`${W}updated`, `${W}updated`]);
    for (const e of evs) assert.match(e.body, TIME_BODY);

    // spawn: incr waiting; the new pid is the event's and appears in list.
    from = tap.mark();
    const before = new Set(((await ctl.call('list', { name: 'workers' })).pids as number[]) ?? []);
    await ctl.call('incr', { name: 'workers', waiting: true });
    evs = await tap.until('a spawn', from, W, (e) => e.length >= 1);
    assert.equal(evs[0].topic, `${W}spawn`);
    assert.match(evs[0].body, PROCESS_BODY);
    const spawned = pidOf(evs[0]);
    assert.ok(!before.has(spawned));
    assert.ok(((await ctl.call('list', { name: 'workers' })).pids as number[]).includes(spawned));
    const t = (JSON.parse(evs[0].body) as { time: number }).time;
    assert.ok(Math.abs(t - Date.now() / 1000) < 120, `time ${t} is epoch seconds`);

    // reap after an external kill -9: exit_code -9 exactly, then a respawn at the next manager tick.
    from = tap.mark();
    process.kill(spawned, 'SIGKILL');
    evs = await tap.until('reap then spawn', from, W, (e) => count(e, 'spawn') >= 1);
    assert.deepEqual(kinds(evs), ['reap', 'spawn']);
    assert.match(evs[0].body, REAP_BODY);
    assert.equal(evs[0].body.replace(/"time": [\d.]+/, '"time": T'), `{"process_pid": ${spawned}, "time": T, "exit_code": -9}`);
    assert.match(evs[1].body, PROCESS_BODY);

    // kill command: one kill per process (body {process_pid, time}), then respawns, no reap.
    const pids = (await ctl.call('list', { name: 'workers' })).pids as number[];
    assert.equal(pids.length, 3);
    from = tap.mark();
    await ctl.call('kill', { name: 'workers', waiting: true });
    evs = await tap.until('3 kills and 3 spawns', from, W, (e) => count(e, 'kill') >= 3 && count(e, 'spawn') >= 3);
    const kills = evs.filter((e) => kind(e) === 'kill');
    for (const e of kills) assert.match(e.body, PROCESS_BODY);
    assert.deepEqual(kills.map(pidOf).sort(), [...pids].sort());
    assert.equal(count(evs, 'reap'), 0, JSON.stringify(evs));

    // stop waiting: kill x N, reap x N, then stop last ({"time": float}).
    const running = (await ctl.call('list', { name: 'workers' })).pids as number[];
    from = tap.mark();
    await ctl.call('stop', { name: 'workers', waiting: true });
    evs = await tap.until('the stop event', from, W, (e) => count(e, 'stop') >= 1);
    assert.deepEqual(kinds(evs), [...running.map(() => 'kill'), ...running.map(() => 'reap'), 'stop']);
    assert.deepEqual(
      evs.filter((e) => kind(e) === 'kill').map(pidOf).sort(),
      [...running].sort(),
    );
    const reaps = evs.filter((e) => kind(e) === 'reap');
    assert.deepEqual(reaps.map(pidOf).sort(), [...running].sort());
    // The worker's SIGTERM handler exits 0, unless the signal lands before node installed it (-15).
    for (const e of reaps) assert.match(e.body.replace(/"time": [\d.]+/, '"time": T'), new RegExp(`^\\{"process_pid": ${pidOf(e)}, "time": T, "exit_code": (0|-15)\\}$`));
    assert.match(evs[evs.length - 1].body, TIME_BODY);

    // start waiting on the stopped watcher: spawn x N, then start.
    from = tap.mark();
    await ctl.call('start', { name: 'workers', waiting: true });
    evs = await tap.until('the start event', from, W, (e) => count(e, 'start') >= 1);
    assert.deepEqual(kinds(evs), ['spawn', 'spawn', 'spawn', 'start']);
    for (const e of evs.slice(0, 3)) assert.match(e.body, PROCESS_BODY);
    assert.match(evs[3].body, TIME_BODY);
    assert.equal(tap.malformed, 0);
  });

  it('add (resource name evt_x), rm, reload and hook events: exact topics and bodies', async () => {
    const { tap, ctl } = await daemon(`
[watcher:hooked]
cmd = {node} {worker} {dir}
autostart = false
graceful_timeout = 1
hooks.before_start = ./hooks.js:ok
hooks.after_start = ./hooks.js:ok

[watcher:failing]
cmd = {node} {worker} {dir}
autostart = false
hooks.before_start = ./hooks.js:boom
`);
    // add of `EvT X` with start: add, spawn, start, all on watcher.evt_x.
    let from = tap.mark();
    await ctl.call('add', { name: 'EvT X', cmd: process.execPath, args: [WORKER, box.dir], start: true });
    let evs = await tap.until('add, spawn, start', from, 'watcher.evt_x.', (e) => count(e, 'start') >= 1);
    assert.deepEqual(evs.map((e) => e.topic), ['watcher.evt_x.add', 'watcher.evt_x.spawn', 'watcher.evt_x.start']);
    assert.match(evs[0].body, TIME_BODY);
    assert.match(evs[1].body, PROCESS_BODY);
    const added = pidOf(evs[1]);
    assert.match(evs[2].body, TIME_BODY);

    // rm waiting: remove first, then kill, reap, stop.
    from = tap.mark();
    await ctl.call('rm', { name: 'EvT X', waiting: true });
    evs = await tap.until('remove .. stop', from, 'watcher.evt_x.', (e) => count(e, 'stop') >= 1);
    assert.deepEqual(kinds(evs), ['remove', 'kill', 'reap', 'stop']);
    assert.match(evs[0].body, TIME_BODY);
    assert.equal(pidOf(evs[1]), added);
    assert.match(evs[2].body, REAP_BODY);
    assert.equal(pidOf(evs[2]), added);

    // reload waiting (graceful, not sequential): new spawns, then the old ones killed, then reload.
    const old = (await ctl.call('list', { name: 'workers' })).pids as number[];
    from = tap.mark();
    await ctl.call('reload', { name: 'workers', waiting: true });
    evs = await tap.until('the reload event', from, 'watcher.workers.', (e) => count(e, 'reload') >= 1);
    assert.deepEqual(kinds(evs), ['spawn', 'spawn', 'kill', 'kill', 'reload']);
    assert.deepEqual(evs.slice(2, 4).map(pidOf).sort(), [...old].sort());
    for (const e of evs.slice(0, 2)) assert.ok(!old.includes(pidOf(e)));
    assert.match(evs[4].body, TIME_BODY);

    // Hooks that pass: hook_success before_start, spawn, hook_success after_start, start.
    from = tap.mark();
    await ctl.call('start', { name: 'hooked', waiting: true });
    evs = await tap.until('the start of hooked', from, 'watcher.hooked.', (e) => count(e, 'start') >= 1);
    assert.deepEqual(kinds(evs), ['hook_success', 'spawn', 'hook_success', 'start']);
    assert.match(evs[0].body, /^\{"name": "before_start", "time": \d+\.\d+\}$/);
    assert.match(evs[2].body, /^\{"name": "after_start", "time": \d+\.\d+\}$/);

    // A raising before_start: hook_failure only, with the error text; no spawn.
    from = tap.mark();
    await ctl.request('start', { name: 'failing', waiting: true });
    evs = await tap.until('the hook failure', from, 'watcher.failing.', (e) => e.length >= 1);
    assert.equal(evs[0].topic, 'watcher.failing.hook_failure');
    assert.match(evs[0].body, /^\{"name": "before_start", "time": \d+\.\d+, "error": "boom"\}$/);
    // Let anything that would follow arrive: a round trip that publishes on another watcher.
    const probe = tap.mark();
    await ctl.call('set', { name: 'workers', options: { retry_in: 1 }, waiting: true });
    await tap.until('the probe', probe, 'watcher.workers.', (e) => e.length >= 1);
    assert.deepEqual(kinds(tap.since(from, 'watcher.failing.')), ['hook_failure']);
  });
});
