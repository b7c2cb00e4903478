import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { ConstructionError, createOutputStream, FANCY_COLORS, FancyStdoutStream, QueueStream, StdoutStream, strftime } from '../../../../kernel';
import { fakeContext, rec, tempDir } from './helpers';

describe('kernel/streams: StdoutStream, FancyStdoutStream, QueueStream, custom classes (spec 4.2, 4.3)', () => {
  const T = new Date(2024, 2, 5, 14, 7, 9).getTime();
  const stamp = strftime('%Y-%m-%d %H:%M:%S', new Date(T));

  it('StdoutStream writes the decoded text unchanged', () => {
    const ctx = fakeContext(T);
    const s = new StdoutStream({}, ctx);
    void s.write(rec('héllo\nwor'));
    void s.write(rec('ld\n'));
    assert.equal(ctx.out.join(''), 'héllo\nworld\n');
  });

  it('FancyStdoutStream: ESC[0;3<c>;40m<time> [pid] | <line>ESC[0m per non-empty line (8.6 #71)', () => {
    const ctx = fakeContext(T);
    const red = new FancyStdoutStream({ color: 'red' }, ctx);
    void red.write(rec('hello'));
    assert.deepEqual(ctx.out, [`\x1b[0;31;40m${stamp} [333] | hello\x1b[0m\n`]);
    ctx.out.length = 0;
    void red.write(rec('foo\nbar\nbaz'));
    void red.write(rec('foo\nbar\nbaz\n'));
    const lines = ctx.out.join('').split('\n').filter((l) => l !== '');
    assert.equal(lines.length, 6);
    assert.equal(lines[1], `\x1b[0;31;40m${stamp} [333] | bar\x1b[0m`);
  });

  it('colour codes are 1..7 in list order; absent or unknown colours are drawn at random', () => {
    FANCY_COLORS.forEach((color, i) => {
      assert.equal(new FancyStdoutStream({ color }, fakeContext(T)).colorCode, `\x1b[0;3${i + 1};40m`);
    });
    assert.equal(new FancyStdoutStream({}, fakeContext(T, 0.99)).color, 'white');
    assert.equal(new FancyStdoutStream({ color: 'pink' }, fakeContext(T, 0)).color, 'red');
    assert.equal(new FancyStdoutStream({}, fakeContext(T, 0.3)).color, 'yellow');
  });

  it('FancyStdoutStream honours a custom time_format', () => {
    const ctx = fakeContext(T);
    void new FancyStdoutStream({ color: 'white', time_format: '%H:%M' }, ctx).write(rec('x', 7));
    assert.equal(ctx.out.join(''), '\x1b[0;37;40m14:07 [7] | x\x1b[0m\n');
  });

  it('QueueStream queues every record', () => {
    const q = new QueueStream();
    void q.write(rec('a', 1));
    void q.write(rec('b', 2, 'stderr'));
    assert.deepEqual(q.queue.map((r) => [r.data.toString(), r.pid, r.name]), [['a', 1, 'stdout'], ['b', 2, 'stderr']]);
    assert.equal(q.shift()?.data.toString(), 'a');
  });

  it('selects built-ins by class, circus.stream aliases, or filename alone; empty map = no stream', async () => {
    const tmp = tempDir();
    try {
      const where = { configDir: tmp.dir };
      const ctx = fakeContext(T);
      assert.equal(createOutputStream('w', 'stdout_stream', {}, where, ctx), null);
      assert.ok(createOutputStream('w', 'stdout_stream', { class: 'QueueStream' }, where, ctx) instanceof QueueStream);
      assert.ok(createOutputStream('w', 'stdout_stream', { class: 'circus.stream.StdoutStream' }, where, ctx) instanceof StdoutStream);
      const f = createOutputStream('w', 'stderr_stream', { filename: path.join(tmp.dir, 'f.log'), refresh_time: '1' }, where, ctx);
      assert.equal(f?.constructor.name, 'FileStream');
      await f?.close?.();
      assert.throws(() => createOutputStream('w', 'stdout_stream', { max_bytes: '3' }, where, ctx), ConstructionError);
      assert.throws(
        () => createOutputStream('api', 'stderr_stream', { class: 'NoSuchStream' }, where, ctx),
        /watcher 'api': stderr_stream\.class: unknown stream class 'NoSuchStream'/,
      );
    } finally {
      tmp.remove();
    }
  });

  it('a custom class from the config receives its options (without class) and the records', async () => {
    const tmp = tempDir();
    try {
      const fixtures = path.join(__dirname, '../../../../..', 'test/fixtures/programs');
      const s = createOutputStream('w', 'stdout_stream', { class: './slow-stream.js:SlowStream', delay_ms: '1', extra: 'x' }, { configDir: fixtures }, fakeContext(T)) as unknown as {
        options: Record<string, string>;
        bytes: number;
        write(r: unknown): Promise<void>;
      };
      assert.deepEqual(s.options, { delay_ms: '1', extra: 'x' });
      await s.write(rec('12345'));
      assert.equal(s.bytes, 5);
      assert.throws(
        () => createOutputStream('w', 'stdout_stream', { class: './slow-stream.js:Missing' }, { configDir: fixtures }, fakeContext(T)),
        (err: unknown) => err instanceof ConstructionError && /watcher 'w': stdout_stream\.class: /.test(err.message),
      );
      assert.throws(() => createOutputStream('w', 'stdout_stream', { class: 'nowhere.Stream' }, { configDir: tmp.dir }, fakeContext(T)), ConstructionError);
    } finally {
      tmp.remove();
    }
  });
});
