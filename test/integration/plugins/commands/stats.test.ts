import { strict as assert } from 'node:assert';
import { ArgumentError, NotFoundError } from '../../../../kernel';
import { Bench } from './helpers';

const BASE_KEYS = ['mem_info1', 'mem_info2', 'cpu', 'mem', 'ctime', 'pid', 'username', 'nice', 'create_time', 'age', 'cmdline', 'children'];

describe('commands plugin: stats and dstats', function () {
  this.timeout(30000);
  let b: Bench;

  beforeEach(() => {
    b = new Bench();
  });

  afterEach(async () => {
    assert.deepEqual(await b.close(), [], 'no process may outlive the test');
  });

  it('stats of a watcher: every field of the process info object, keyed by pid string', async () => {
    await b.start({ watchers: [b.sleeper('web', { numprocesses: 2 })] });
    const res = (await b.answer('stats', { name: 'web' })) as { name: string; info: Record<string, Record<string, unknown>> };
    assert.equal(res.name, 'web');
    const pids = b.a.getWatcher('web').pids;
    assert.deepEqual(Object.keys(res.info).sort(), pids.map(String).sort());
    for (const [pid, info] of Object.entries(res.info)) {
      assert.deepEqual(Object.keys(info), [...BASE_KEYS, 'started', 'wid']);
      assert.equal(info.pid, Number(pid));
      assert.match(info.mem_info1 as string, /^\d+(\.\d\d[KMGTPEZY]|B)$/);
      assert.match(info.ctime as string, /^\d+:\d\d\.\d{1,2}$/);
      assert.equal(info.cpu, 0, 'first sample is 0.0');
      assert.equal(typeof info.mem, 'number');
      assert.equal(info.cmdline, 'node');
      assert.equal(info.username, require('node:os').userInfo().username);
      assert.ok([1, 2].includes(info.wid as number));
      assert.deepEqual(info.children, []);
      assert.ok((info.age as number) >= 0);
    }
  });

  it('stats without a name: infos by watcher name as given; one process; unknown process errno 3', async () => {
    await b.start({ watchers: [b.sleeper('Web'), b.sleeper('idle', { autostart: false })] });
    const all = (await b.answer('stats')) as { infos: Record<string, Record<string, unknown>> };
    assert.deepEqual(Object.keys(all.infos), ['Web', 'idle']);
    assert.deepEqual(all.infos.idle, {});
    const [pid] = b.a.getWatcher('web').pids;
    const one = (await b.answer('stats', { name: 'web', process: String(pid) })) as { process: unknown; info: { pid: number } };
    assert.equal(one.process, String(pid));
    assert.equal(one.info.pid, pid);
    await b.fails('stats', { name: 'web', process: 999999 }, ArgumentError, "process 999999 not found in 'web'");
    await b.fails('stats', { name: 'web', process: '999999' }, ArgumentError, "process '999999' not found in 'web'");
    await b.fails('stats', { name: 'nope' }, NotFoundError, "watcher 'nope' not found");
  });

  it('dstats: circusd itself, children []', async () => {
    await b.start({ watchers: [] });
    const { info } = (await b.answer('dstats')) as { info: Record<string, unknown> };
    assert.deepEqual(Object.keys(info), BASE_KEYS);
    assert.equal(info.pid, process.pid);
    assert.deepEqual(info.children, []);
    assert.equal(typeof info.cpu, 'number');
  });
});
