import { strict as assert } from 'node:assert';
import { chmodSync, existsSync, readFileSync, readlinkSync } from 'node:fs';
import * as path from 'node:path';
import { Arbiter, createArbiter, defaultCircusConfig, WatcherOptions } from '../../../kernel';
import { cleanup, fixture, makeTmp, MemoryLogger, readJson, waitFor } from './helpers';

interface Report {
  pid: number;
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  nofile: { soft: string; hard: string };
  nproc: { soft: string; hard: string };
  umask: number;
  uid: number;
  gid: number;
  groups: number[];
  stdin: string;
  stdout: string;
  stderr: string;
}

describe('kernel integration: what the child sees', function () {
  this.timeout(20000);
  let tmp: string;
  let arbiter: Arbiter | null;
  let logger: MemoryLogger;

  beforeEach(() => {
    tmp = makeTmp();
    chmodSync(tmp, 0o777);
    arbiter = null;
    logger = new MemoryLogger();
  });

  afterEach(async () => {
    const left = await cleanup(arbiter, tmp);
    assert.deepEqual(left, [], 'no fixture process may outlive the test');
  });

  async function run(options: Partial<WatcherOptions> & { name?: string }, out = path.join(tmp, 'report.json')): Promise<Report> {
    arbiter = createArbiter({
      config: defaultCircusConfig({
        check_delay: -1,
        watchers: [{ name: 'w', cmd: process.execPath, args: [fixture('report.js'), out], graceful_timeout: 1, ...options }],
      }),
      logger,
    });
    await arbiter.start();
    await waitFor('the report', () => existsSync(out));
    return readJson<Report>(out);
  }

  it('close_child_stdin/stdout/stderr put /dev/null on fds 0-2; otherwise the child inherits circusd\'s own', async () => {
    const mine = (fd: number): string => readlinkSync(`/proc/self/fd/${fd}`);
    const closed = await run({ close_child_stdin: true, close_child_stdout: true, close_child_stderr: true });
    assert.deepEqual([closed.stdin, closed.stdout, closed.stderr], ['/dev/null', '/dev/null', '/dev/null']);
    await arbiter!.stop();
    const open = await run(
      { close_child_stdin: false, close_child_stdout: false, close_child_stderr: false },
      path.join(tmp, 'report-open.json'),
    );
    assert.deepEqual([open.stdin, open.stdout, open.stderr], [mine(0), mine(1), mine(2)]);
  });

  it('passes argv with runtime variables, the complete env, and cwd', async () => {
    const report = await run({
      cmd: `${process.execPath} ${fixture('report.js')} ${path.join(tmp, 'report.json')}`,
      args: `$(circus.wid) "x y" $(circus.env.greeting) ((circus.graceful_timeout)) $WID`,
      env: { greeting: 'hello', PATH: '$PATH:/extra', EMPTY: '$NOPE_NOT_SET_X' },
      working_dir: tmp,
    });
    assert.deepEqual(report.argv.slice(3), ['1', 'x y', 'hello', '1.0', '$WID']);
    assert.equal(report.argv[0], process.execPath);
    assert.deepEqual(Object.keys(report.env).sort(), ['EMPTY', 'PATH', 'greeting']);
    assert.equal(report.env.PATH, `${process.env.PATH}:/extra`);
    assert.equal(report.env.EMPTY, '');
    assert.equal(report.cwd, tmp);
    assert.equal(report.stdin, '/dev/null');
    assert.ok(logger.has('$WID is deprecated'), 'the $WID deprecation warning is logged');
  });

  it('applies rlimit_nofile and rlimit_nproc before the program starts, keeping the pid and argv', async () => {
    const report = await run({ rlimits: { nofile: 20, nproc: 20 } });
    assert.deepEqual(report.nofile, { soft: '20', hard: '20' });
    assert.deepEqual(report.nproc, { soft: '20', hard: '20' });
    const w = arbiter!.getWatcher('w');
    assert.deepEqual(w.pids, [report.pid], 'prlimit execs in place: the supervised pid is the program');
    assert.equal(report.argv[0], process.execPath);
    assert.equal(report.argv[1], fixture('report.js'));
  });

  it('children inherit the umask of circusd', async () => {
    const report = await run({});
    const mask = process.umask();
    assert.equal(report.umask, mask);
  });

  it('runs as uid/gid nobody with the user\'s groups (setpriv --init-groups)', async function () {
    if (process.getuid?.() !== 0) this.skip();
    const report = await run({ uid: 'nobody' });
    const [, , uid, gid] = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('nobody:'))!.split(':');
    assert.equal(report.uid, Number(uid));
    assert.equal(report.gid, Number(gid));
    assert.ok(!report.groups.includes(0), `root's groups are dropped: ${report.groups.join(',')}`);
    assert.ok(report.groups.includes(Number(gid)), `initgroups includes the primary group: ${report.groups.join(',')}`);
    assert.deepEqual(arbiter!.getWatcher('w').pids, [report.pid]);
  });

  it('a numeric uid without a passwd entry runs with that uid and no supplementary groups', async function () {
    if (process.getuid?.() !== 0) this.skip();
    const report = await run({ uid: '54321', gid: '54321' });
    assert.equal(report.uid, 54321);
    assert.equal(report.gid, 54321);
    assert.deepEqual(report.groups, []);
  });

  it('executable runs the binary while argv[0] is the first cmd token', async () => {
    const out = path.join(tmp, 'report.json');
    const report = await run({ cmd: 'my-display-name', args: [fixture('report.js'), out], executable: process.execPath });
    assert.equal(report.argv[0], 'my-display-name');
    assert.equal(report.argv[1], fixture('report.js'));
  });

  it('executable with rlimits keeps argv[0] too', async () => {
    const out = path.join(tmp, 'report.json');
    const report = await run({ cmd: 'shown', args: [fixture('report.js'), out], executable: process.execPath, rlimits: { nofile: 30 } });
    assert.equal(report.argv[0], 'shown');
    assert.deepEqual(report.nofile, { soft: '30', hard: '30' });
    assert.deepEqual(arbiter!.getWatcher('w').pids, [report.pid]);
  });

  it('shell = true runs /bin/sh -c with every token quoted (Q12)', async () => {
    const out = path.join(tmp, 'report.json');
    const report = await run({ cmd: process.execPath, args: [fixture('report.js'), out, '|', 'x'], shell: true });
    assert.deepEqual(report.argv.slice(3), ['|', 'x']);
  });

  it('copy_env = true starts from the circusd environment', async () => {
    const report = await run({ copy_env: true, env: { EXTRA: 'yes' } });
    assert.equal(report.env.EXTRA, 'yes');
    assert.equal(report.env.PATH, process.env.PATH);
  });
});
