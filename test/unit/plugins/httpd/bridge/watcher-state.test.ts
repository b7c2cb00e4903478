import { strict as assert } from 'node:assert';
import { mapBounded, readWatcherState, sameWatchers, type CallFn } from '../../../../../plugins/httpd/bridge/watcher-state';
import type { WatcherState } from '../../../../../plugins/httpd/bridge/types';

/** A fake daemon answering status and list from a table, counting concurrent list calls. */
function daemon(table: Record<string, { status: string; pids: number[] } | 'gone'>): { call: CallFn; calls: string[]; peak: () => number } {
  const calls: string[] = [];
  let running = 0;
  let peak = 0;
  const call: CallFn = async (command, props) => {
    calls.push(props.name === undefined ? command : `${command} ${String(props.name)}`);
    if (command === 'status') {
      const statuses: Record<string, string> = {};
      for (const [name, w] of Object.entries(table)) statuses[name] = w === 'gone' ? 'active' : w.status;
      return { status: 'ok', statuses };
    }
    running += 1;
    peak = Math.max(peak, running);
    await new Promise((r) => setImmediate(r));
    running -= 1;
    const w = table[String(props.name)];
    if (w === 'gone') return { status: 'error', reason: `program ${String(props.name)} not found`, errno: 3 };
    return { status: 'ok', pids: w.pids };
  };
  return { call, calls, peak: () => peak };
}

const w = (name: string, status = 'active', pids: number[] = []): WatcherState => ({ name, status, pids });

describe('plugins/httpd/bridge: watcher state', () => {
  it('reads status then list for each watcher, sorted by name in code-point order', async () => {
    const d = daemon({ web: { status: 'active', pids: [12, 11] }, Beta: { status: 'stopped', pids: [] }, 'circusd-stats': { status: 'active', pids: [] } });
    const state = await readWatcherState(d.call);
    assert.deepEqual(state, [w('Beta', 'stopped'), w('circusd-stats'), w('web', 'active', [12, 11])]);
    assert.equal(d.calls[0], 'status');
    assert.deepEqual(d.calls.slice(1).sort(), ['list Beta', 'list circusd-stats', 'list web']);
  });

  it('leaves out a watcher removed between status and list', async () => {
    const d = daemon({ web: { status: 'active', pids: [1] }, old: 'gone' });
    assert.deepEqual(await readWatcherState(d.call), [w('web', 'active', [1])]);
  });

  it('runs at most the bound of list calls at once', async () => {
    const table: Record<string, { status: string; pids: number[] }> = {};
    for (let i = 0; i < 30; i += 1) table[`w${String(i).padStart(2, '0')}`] = { status: 'active', pids: [i + 100] };
    const d = daemon(table);
    const state = await readWatcherState(d.call, 4);
    assert.equal(state.length, 30);
    assert.equal(d.peak(), 4);
  });

  it('rejects when a call gets no reply, and refuses a status error reply naming its reason', async () => {
    await assert.rejects(readWatcherState(async () => Promise.reject(new Error('Timed out.'))), /Timed out\./);
    await assert.rejects(readWatcherState(async () => ({ status: 'error', reason: 'arbiter is restarting...' })), /status failed: arbiter is restarting/);
  });

  it('compares readings by name, status and pids in order', () => {
    const a = [w('a', 'active', [1, 2]), w('b', 'stopped')];
    assert.equal(sameWatchers(a, [w('a', 'active', [1, 2]), w('b', 'stopped')]), true);
    assert.equal(sameWatchers(a, [w('a', 'active', [2, 1]), w('b', 'stopped')]), false);
    assert.equal(sameWatchers(a, [w('a', 'active', [1, 2]), w('b', 'active')]), false);
    assert.equal(sameWatchers(a, [w('a', 'active', [1, 2])]), false);
    assert.equal(sameWatchers(a, [w('a', 'active', [1, 2]), w('c', 'stopped')]), false);
    assert.equal(sameWatchers([], []), true);
  });

  it('maps with a bound and keeps item order', async () => {
    assert.deepEqual(await mapBounded([3, 1, 2], 2, async (n) => n * 10), [30, 10, 20]);
    assert.deepEqual(await mapBounded([], 4, async (n: number) => n), []);
  });
});
