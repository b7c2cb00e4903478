import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PidfileError } from '../../../cli/circusd/errors';
import { Pidfile, pidIsAlive } from '../../../cli/circusd/pidfile';

/** A pid no process holds: a child we started and reaped. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((r) => child.once('exit', r));
  return child.pid as number;
}

describe('cli/circusd: pidfile (spec/daemon.md 7.2)', () => {
  let dir: string;
  let other: ChildProcess | null = null;
  let savedUmask: number;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'circusd-pidfile-'));
    savedUmask = process.umask();
  });

  afterEach(async () => {
    process.umask(savedUmask);
    if (other && other.exitCode === null && other.signalCode === null) {
      const exited = new Promise((r) => other?.once('exit', r));
      other.kill('SIGKILL');
      await exited;
    }
    other = null;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes "<pid>\\n" with mode exactly 0644 whatever the umask', () => {
    process.umask(0o077);
    const file = path.join(dir, 'c.pid');
    new Pidfile(file).create(4242);
    assert.equal(fs.readFileSync(file, 'utf8'), '4242\n');
    assert.equal(fs.statSync(file).mode & 0o777, 0o644);
    process.umask(0o000);
    const file2 = path.join(dir, 'd.pid');
    new Pidfile(file2).create(4243);
    assert.equal(fs.statSync(file2).mode & 0o777, 0o644);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['c.pid', 'd.pid']);
  });

  it('overwrites garbage, 0, negative and dead pids', async () => {
    const dead = await deadPid();
    assert.equal(pidIsAlive(dead), false);
    for (const content of ['garbage', '0', '-5', '', `${dead}\n`]) {
      const file = path.join(dir, 'c.pid');
      fs.writeFileSync(file, content);
      new Pidfile(file).create(process.pid);
      assert.equal(fs.readFileSync(file, 'utf8'), `${process.pid}\n`, `content ${JSON.stringify(content)}`);
    }
  });

  it('refuses a live foreign pid with the Circus message, leaving the file untouched', () => {
    other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    const file = path.join(dir, 'c.pid');
    fs.writeFileSync(file, `${other.pid}\n`);
    assert.throws(() => new Pidfile(file).create(process.pid), (e: unknown) => {
      assert.ok(e instanceof PidfileError);
      assert.equal(e.code, 'CIRCUSD_PIDFILE_STALE');
      assert.equal(e.stdout, true);
      assert.equal(e.exitCode, 1);
      assert.equal(e.message, `pid file '${file}' is stale, current pid ${process.pid}`);
      return true;
    });
    assert.equal(fs.readFileSync(file, 'utf8'), `${other.pid}\n`);
  });

  it('accepts a file already holding our own pid', () => {
    const file = path.join(dir, 'c.pid');
    fs.writeFileSync(file, `${process.pid}\n`);
    const p = new Pidfile(file);
    p.create(process.pid);
    assert.equal(p.unlink(), null);
    assert.ok(!fs.existsSync(file));
  });

  it('a missing directory is a clear error', () => {
    const file = path.join(dir, 'nope', 'c.pid');
    assert.throws(() => new Pidfile(file).create(1234), (e: unknown) => {
      assert.ok(e instanceof PidfileError);
      assert.equal(e.code, 'CIRCUSD_PIDFILE_DIR');
      assert.ok(e.message.includes(`${path.join(dir, 'nope')} doesn't exist. Can't create pidfile`), e.message);
      return true;
    });
  });

  it('unlink removes the file only while it holds our pid; garbage counts as ours', () => {
    const file = path.join(dir, 'c.pid');
    const p = new Pidfile(file);
    p.create(process.pid);
    fs.writeFileSync(file, '99999999\n');
    assert.equal(p.unlink(), null);
    assert.ok(fs.existsSync(file), 'a file rewritten by someone else is kept');
    fs.writeFileSync(file, 'garbage');
    new Pidfile(file).unlink();
    assert.ok(!fs.existsSync(file));
    assert.equal(new Pidfile(file).unlink(), null, 'a missing file is not an error');
  });

  it('rename removes the old file and creates the new one', () => {
    const a = path.join(dir, 'a.pid');
    const b = path.join(dir, 'b.pid');
    const p = new Pidfile(a);
    p.create(process.pid);
    p.rename(b);
    assert.ok(!fs.existsSync(a));
    assert.equal(fs.readFileSync(b, 'utf8'), `${process.pid}\n`);
  });
});
