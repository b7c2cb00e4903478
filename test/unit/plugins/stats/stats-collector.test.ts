import { strict as assert } from 'node:assert';
import type { ProcessInfo } from '../../../../kernel';
import { groupFrames, socketFrames, statsGroups } from '../../../../plugins/stats/stats-collector';
import { aggregateStats, decodeStat, statTopic } from '../../../../protocol/stats-topics';

function info(pid: number, cpu: number | string, mem: number | string, age: number | string): ProcessInfo {
  return { mem_info1: '1.00M', mem_info2: '2.00M', cpu, mem, ctime: '0:00.0', pid, username: 'app', nice: 0, create_time: 1.5, age, cmdline: 'sleep', children: [], started: 3, wid: 1 };
}

describe('stats collector and stat.* topics (plugins/stats, protocol/stats-topics)', () => {
  it('groups: watchers with pids (not circusd/circushttpd/circusd-stats), then circus with circusd and circushttpd', () => {
    const groups = statsGroups(
      [
        { name: 'web', pids: [10, 11] },
        { name: 'idle', pids: [] },
        { name: 'circusd-stats', pids: [] },
        { name: 'circushttpd', pids: [30] },
      ],
      5,
    );
    assert.deepEqual(groups.map((g) => [g.name, g.pids]), [['web', [10, 11]], ['circus', [5, 30]]]);
    assert.equal(groups[1].roles?.get(30), 'circushttpd');
  });

  it('frames: per pid with subtopic and name, vanished pids skipped, then the aggregate; res_name topics', () => {
    const sampled = new Map([[10, info(10, 1.5, 0.25, 4)]]);
    const { frames, aggregate } = groupFrames({ name: 'Big One', pids: [10, 11] }, sampled);
    assert.deepEqual(frames.map((f) => f[0]), ['stat.big_one.10', 'stat.big_one']);
    assert.equal(
      frames[0][1],
      '{"mem_info1": "1.00M", "mem_info2": "2.00M", "cpu": 1.5, "mem": 0.25, "ctime": "0:00.0", "pid": 10, "username": "app", "nice": 0, "create_time": 1.5, "age": 4.0, "cmdline": "sleep", "children": [], "subtopic": 10, "name": null}',
    );
    assert.equal(frames[1][1], '{"pid": [10], "cpu": 1.5, "mem": 0.25, "age": 4.0}');
    assert.deepEqual(aggregate.pid, [10]);
    assert.deepEqual(decodeStat(frames[0][0], frames[0][1])?.subtopic, '10');
    assert.equal(decodeStat('stat.big_one', frames[1][1])?.subtopic, null);
    assert.equal(decodeStat('watcher.web.spawn', '{}'), null);
    assert.equal(statTopic('Web', 3), 'stat.web.3');
  });

  it('aggregate: mean cpu, summed mem, max age; "N/A" spreads; 0.0 with no pid', () => {
    assert.deepEqual(aggregateStats([info(1, 1, 0.5, 3), info(2, 3, 0.25, 7)]), { pid: [1, 2], cpu: 2, mem: 0.75, age: 7 });
    assert.deepEqual(aggregateStats([info(1, 'N/A', 'N/A', 'N/A'), info(2, 3, 0.25, 7)]), { pid: [1, 2], cpu: 'N/A', mem: 'N/A', age: 7 });
    assert.deepEqual(aggregateStats([]), { pid: [], cpu: 0, mem: 0, age: 'N/A' });
  });

  it('sockets: one frame per socket in fd order, then the total; nothing without sockets', () => {
    assert.deepEqual(socketFrames([]), []);
    const frames = socketFrames([
      { fd: 7, address: '127.0.0.1:8080', reads: 100 },
      { fd: 6, address: '/tmp/u.sock', reads: 0 },
    ]);
    assert.deepEqual(frames, [
      ['stat.sockets.6', '{"fd": 6, "subtopic": 6, "reads": 0, "address": "/tmp/u.sock"}'],
      ['stat.sockets.7', '{"fd": 7, "subtopic": 7, "reads": 100, "address": "127.0.0.1:8080"}'],
      ['stat.sockets', '{"addresses": ["/tmp/u.sock", "127.0.0.1:8080"], "reads": 100}'],
    ]);
  });
});
