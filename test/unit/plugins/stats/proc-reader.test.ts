import { strict as assert } from 'node:assert';
import { LinuxProcessSampler, ProcReader, type ProcFiles } from '../../../../plugins/stats/index';

/** A fake /proc: files by path; an Error code instead of text makes that read fail with it. */
function fakeProc(files: Record<string, string | { code: string }>, owners: Record<string, number | { code: string }> = {}): ProcFiles {
  const fail = (code: string, file: string): never => {
    throw Object.assign(new Error(`${code}: ${file}`), { code });
  };
  return {
    read: (file) => {
      const v = files[file];
      if (v === undefined) return fail('ENOENT', file);
      return typeof v === 'string' ? v : fail(v.code, file);
    },
    owner: (file) => {
      const v = owners[file] ?? (Object.keys(files).some((f) => f.startsWith(`${file}/`)) ? 1000 : undefined);
      if (v === undefined) return fail('ENOENT', file);
      return typeof v === 'number' ? v : fail(v.code, file);
    },
  };
}

// utime 150, stime 50, cutime 0, cstime 0 (fields 14-17), nice 5 (19), starttime 1000 (22), iowait 0 (42).
function statLine(pid: number, utime: number, state = 'S'): string {
  const fields = Array.from({ length: 50 }, () => '0');
  fields[0] = state;
  fields[14 - 3] = String(utime);
  fields[15 - 3] = '50';
  fields[19 - 3] = '5';
  fields[22 - 3] = '1000';
  return `${pid} (my (odd) cmd) ${fields.join(' ')}\n`;
}

const BASE = {
  '/p/stat': 'cpu 1 2 3\nbtime 1700000000\n',
  '/p/42/stat': statLine(42, 150),
  '/p/42/statm': '1000 256 10 1 0 100 0\n',
  '/p/42/cmdline': '/usr/bin/sleep\u0000100\u0000',
  '/p/42/task/42/children': '43 44 \n',
};

function sampler(files: ProcFiles, clock: { t: number }): LinuxProcessSampler {
  return new LinuxProcessSampler({
    reader: new ProcReader('/p', files, 4096),
    clockTicks: 100,
    totalMem: () => 4096 * 256 * 100,
    now: () => clock.t,
    selfPid: 1,
    users: { name: (uid: number) => (uid === 1000 ? 'app' : String(uid)) } as never,
  });
}

describe('stats sampler over a fake /proc (plugins/stats)', () => {
  it('reads stat/statm/cmdline into Circus fields; CPU 0.0 first, then percent since the previous sample', async () => {
    const clock = { t: 1700000100 };
    const files: Record<string, string | { code: string }> = { ...BASE };
    const s = sampler(fakeProc(files), clock);
    const first = await s.info(42);
    assert.ok(first);
    assert.equal(first.cpu, 0.0);
    assert.equal(first.mem_info1, '1.00M');
    assert.equal(first.mem_info2, '3.91M');
    assert.equal(first.mem, 1);
    assert.equal(first.ctime, '0:02.0');
    assert.equal(first.nice, 5);
    assert.equal(first.username, 'app');
    assert.equal(first.cmdline, 'sleep');
    assert.equal(first.create_time, 1700000010);
    assert.equal(first.age, 90);
    files['/p/42/stat'] = statLine(42, 200);
    clock.t += 1;
    assert.equal((await s.info(42))?.cpu, 50);
    assert.deepEqual(await s.children(42), [43, 44]);
  });

  it('ENOENT (a pid gone between samples) is null, never an error; its baseline is forgotten', async () => {
    const clock = { t: 1700000100 };
    const files: Record<string, string | { code: string }> = { ...BASE };
    const s = sampler(fakeProc(files), clock);
    await s.info(42);
    files['/p/42/statm'] = { code: 'ENOENT' };
    assert.equal(await s.info(42), null);
    assert.deepEqual([...(await s.sample([42, 99])).keys()], []);
    files['/p/42/statm'] = BASE['/p/42/statm'];
    clock.t += 1;
    assert.equal((await s.info(42))?.cpu, 0.0, 'a returning pid starts afresh');
  });

  it('EACCES gives "N/A" fields as Circus prints, and the sample still answers', async () => {
    const clock = { t: 1700000100 };
    const denied = { code: 'EACCES' };
    const s = sampler(fakeProc({ ...BASE, '/p/42/stat': denied, '/p/42/statm': denied, '/p/42/cmdline': denied }, { '/p/42': denied }), clock);
    const info = await s.info(42);
    assert.ok(info);
    for (const key of ['mem_info1', 'mem_info2', 'cpu', 'mem', 'ctime', 'username', 'nice', 'create_time', 'age', 'cmdline'] as const) {
      assert.equal(info[key], 'N/A', key);
    }
    assert.equal(info.pid, 42);
    const many = await s.sample([42]);
    assert.equal(many.get(42)?.cpu, 'N/A');
  });

  it('a zombie shows nice "Zombie" and keeps the command name seen while it lived', async () => {
    const clock = { t: 1700000100 };
    const files: Record<string, string | { code: string }> = { ...BASE };
    const s = sampler(fakeProc(files), clock);
    await s.info(42);
    files['/p/42/stat'] = statLine(42, 150, 'Z');
    files['/p/42/cmdline'] = '';
    const z = await s.info(42);
    assert.equal(z?.nice, 'Zombie');
    assert.equal(z?.cmdline, 'sleep');
  });

  it('an unexpected I/O error is not mistaken for a vanished process', async () => {
    const s = sampler(fakeProc({ ...BASE, '/p/42/statm': { code: 'EIO' } }), { t: 1 });
    await assert.rejects(s.info(42), /EIO/);
  });
});
