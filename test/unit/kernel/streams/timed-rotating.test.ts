import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { createOutputStream, ConstructionError, TimedRotatingFileStream } from '../../../../kernel';
import { fakeContext, rec, tempDir } from './helpers';

describe('kernel/streams: TimedRotatingFileStream with a fake clock (spec 4.3)', () => {
  let tmp: ReturnType<typeof tempDir>;
  const open: TimedRotatingFileStream[] = [];
  // A fixed local time, Tuesday 2024-03-05 14:07:09.
  const T0 = Math.floor(new Date(2024, 2, 5, 14, 7, 9).getTime() / 1000);

  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
    tmp.remove();
  });

  /** The file exists with mtime T0 before the stream opens it, so the first rollover is fixed. */
  function make(options: Record<string, string>, ctx = fakeContext(T0 * 1000)): TimedRotatingFileStream {
    const filename = path.join(tmp.dir, 't.log');
    writeFileSync(filename, '');
    utimesSync(filename, T0, T0);
    const s = new TimedRotatingFileStream({ filename, ...options }, ctx);
    open.push(s);
    return s;
  }

  it('has integer interval and backup count, a boolean utc, a suffix pattern and a positive rollover (8.6 #68)', () => {
    const s = make({ rotate_when: 'H', rotate_interval: '5', backup_count: '3', utc: 'True' });
    assert.equal(s.interval, 5 * 3600);
    assert.equal(s.backupCount, 3);
    assert.equal(s.utc, true);
    assert.ok(s.suffixPattern.test('2024030514'));
    assert.equal(s.rolloverAt, T0 + 5 * 3600);
  });

  it('Q26 fix: utc = False means local time, and rotate_when is accepted in any case', () => {
    const s = make({ rotate_when: 'midnight', utc: 'False' });
    assert.equal(s.utc, false);
    assert.equal(s.when, 'MIDNIGHT');
    assert.equal(s.rolloverAt, Math.floor(new Date(2024, 2, 6, 0, 0, 0).getTime() / 1000));
  });

  it('suffix formats per rotate_when: S 14, M 12, H 10, D/MIDNIGHT/Wd 8 digits', () => {
    const cases: [string, string][] = [
      ['S', '20240305140709'],
      ['m', '202403051407'],
      ['h', '2024030514'],
      ['D', '20240305'],
      ['MIDNIGHT', '20240305'],
      ['w3', '20240305'],
    ];
    for (const [when, suffix] of cases) {
      const s = make({ rotate_when: when });
      assert.equal(s.suffix(T0), suffix, when);
      assert.ok(s.suffixPattern.test(suffix), when);
      assert.ok(!s.suffixPattern.test(suffix + '0'), when);
    }
  });

  it('utc = true formats the suffix in UTC', () => {
    const s = make({ rotate_when: 'S', utc: 'yes' });
    const d = new Date(T0 * 1000);
    const want = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()]
      .map((n, i) => String(n).padStart(i === 0 ? 4 : 2, '0'))
      .join('');
    assert.equal(s.suffix(T0), want);
  });

  it('Wd: the next rollover is the midnight ending weekday d, never in the past', () => {
    // T0 is a Tuesday (weekday 1, Monday = 0).
    for (let d = 0; d <= 6; d += 1) {
      const s = make({ rotate_when: `W${d}` });
      const at = new Date(s.rolloverAt * 1000);
      const lastSecond = new Date((s.rolloverAt - 1) * 1000);
      assert.equal((lastSecond.getDay() + 6) % 7, d, `W${d}: the day that ends`);
      assert.equal(at.getHours() * 3600 + at.getMinutes() * 60 + at.getSeconds(), 0, `W${d} at midnight`);
      const days = (s.rolloverAt - T0) / 86400;
      // Today is d = 1: a week ahead, as Circus does.
      assert.ok(days > 0 && days <= 8, `W${d}: ${days} days`);
      if (d === 1) assert.ok(days > 7, 'W1 on a Tuesday waits a week');
    }
  });

  it('rolls over before a write past the rollover time, keeping only backup_count backups', async () => {
    const ctx = fakeContext(T0 * 1000);
    const s = make({ rotate_when: 'S', backup_count: '2' }, ctx);
    await s.write(rec('first\n'));
    for (let i = 1; i <= 4; i += 1) {
      ctx.set((T0 + i) * 1000);
      await s.write(rec(`second ${i}\n`));
    }
    const names = readdirSync(tmp.dir).sort();
    assert.deepEqual(names, ['t.log', `t.log.${s.suffix(T0 + 2)}`, `t.log.${s.suffix(T0 + 3)}`]);
    assert.equal(readFileSync(path.join(tmp.dir, 't.log'), 'utf8'), 'second 4\n');
    assert.equal(readFileSync(path.join(tmp.dir, `t.log.${s.suffix(T0 + 3)}`), 'utf8'), 'second 3\n');
    assert.equal(s.rolloverAt, T0 + 5);
  });

  it('after a long pause the next rollover is moved into the future by whole intervals', async () => {
    const ctx = fakeContext(T0 * 1000);
    const s = make({ rotate_when: 'M', rotate_interval: '2' }, ctx);
    ctx.set((T0 + 1000) * 1000);
    await s.write(rec('late\n'));
    assert.equal(s.rolloverAt, T0 + 1000 + 120);
    assert.ok(readdirSync(tmp.dir).includes(`t.log.${s.suffix(T0)}`));
  });

  it('an invalid or missing rotate_when skips the watcher with a ConstructionError naming it', () => {
    for (const when of [undefined, 'X', 'W7']) {
      const options: Record<string, string> = { class: 'TimedRotatingFileStream', filename: path.join(tmp.dir, 'x.log') };
      if (when !== undefined) options.rotate_when = when;
      assert.throws(
        () => createOutputStream('web', 'stdout_stream', options, { configDir: tmp.dir }, fakeContext(0)),
        (err: unknown) => err instanceof ConstructionError && /watcher 'web'/.test(err.message) && /stdout_stream\.rotate_when/.test(err.message),
      );
    }
  });
});
