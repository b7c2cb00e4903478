import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, renameSync, unlinkSync } from 'node:fs';
import * as path from 'node:path';
import { FileStream, strftime, WatchedFileStream } from '../../../../kernel';
import { fakeContext, rec, tempDir } from './helpers';

describe('kernel/streams: FileStream and WatchedFileStream (spec 4.3)', () => {
  let tmp: ReturnType<typeof tempDir>;
  const open: { close(): Promise<void> }[] = [];
  const T = new Date(2024, 2, 5, 14, 7, 9, 123).getTime();

  beforeEach(() => {
    tmp = tempDir();
  });
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
    tmp.remove();
  });

  function fileStream(options: Record<string, string>, ctx = fakeContext(T)): FileStream {
    const s = new FileStream({ filename: path.join(tmp.dir, 'out.log'), ...options }, ctx);
    open.push(s);
    return s;
  }
  const read = (name = 'out.log'): string => readFileSync(path.join(tmp.dir, name), 'utf8');
  /** FileStream writes are queued: wait for them before reading the files. */
  const flushAll = async (): Promise<void> => {
    for (const s of open) if (s instanceof FileStream) await s.flush();
  };

  it('stores max_bytes and backup_count as integers (8.6 #68) and creates the file at construction', () => {
    const s = fileStream({ max_bytes: '12', backup_count: '3' });
    assert.equal(s.maxBytes, 12);
    assert.equal(s.backupCount, 3);
    assert.ok(existsSync(s.filename));
    assert.equal(read(), '');
  });

  it('without filename writes to a new temporary file', async () => {
    const s = new FileStream({}, fakeContext(T));
    try {
      assert.ok(existsSync(s.filename));
      await s.write(rec('x'));
      await s.flush();
      assert.equal(readFileSync(s.filename, 'utf8'), 'x');
    } finally {
      await s.close();
      unlinkSync(s.filename);
    }
  });

  it('without time_format two 1100-character chunks give exactly 2200 characters (8.6 #72)', async () => {
    const s = fileStream({});
    await s.write(rec('a'.repeat(1100)));
    await s.write(rec('b'.repeat(1100)));
    await flushAll();
    assert.equal(read(), 'a'.repeat(1100) + 'b'.repeat(1100));
  });

  it('rolls over when size + chunk >= max_bytes, shifting .1 ... .N and dropping the oldest', async () => {
    const s = fileStream({ max_bytes: '10', backup_count: '2' });
    for (const c of ['a', 'b', 'c', 'd']) await s.write(rec(c.repeat(6)));
    await flushAll();
    assert.equal(read(), 'dddddd');
    assert.equal(read('out.log.1'), 'cccccc');
    assert.equal(read('out.log.2'), 'bbbbbb');
    assert.ok(!existsSync(path.join(tmp.dir, 'out.log.3')));
  });

  it('the check adds the raw chunk length to the file size (which counts the prefixes)', async () => {
    const s = fileStream({ max_bytes: '10', backup_count: '1', time_format: '%Y' });
    await s.write(rec('abc'));
    await flushAll();
    assert.ok(!existsSync(path.join(tmp.dir, 'out.log.1')));
    assert.ok(read().length > 10);
    await s.write(rec('d'));
    await flushAll();
    assert.ok(existsSync(path.join(tmp.dir, 'out.log.1')), 'the file is over max_bytes now');
  });

  it('Q25 (replicated): backup_count = 0 never renames; the file keeps growing', async () => {
    const s = fileStream({ max_bytes: '5' });
    for (const c of ['a', 'b', 'c']) await s.write(rec(c.repeat(4)));
    await flushAll();
    assert.equal(read(), 'aaaabbbbcccc');
    assert.ok(!existsSync(path.join(tmp.dir, 'out.log.1')));
  });

  it('time_format prefixes each line with "<time> [pid] | " (8.6 #72)', async () => {
    const s = fileStream({ time_format: '%Y-%m-%d %H:%M:%S.%f' });
    const stamp = strftime('%Y-%m-%d %H:%M:%S.%f', new Date(T));
    assert.equal(stamp, '2024-03-05 14:07:09.123000');
    await s.write(rec('hello world'));
    await s.write(rec('foo\n\nbar\nbaz\n\n', 12));
    await s.write(rec('mid-li'));
    await s.write(rec('ne\n'));
    await flushAll();
    assert.equal(
      read(),
      [
        `${stamp} [333] | hello world`,
        `${stamp} [12] | foo`,
        `${stamp} [12] | `,
        `${stamp} [12] | bar`,
        `${stamp} [12] | baz`,
        `${stamp} [333] | mid-li`,
        `${stamp} [333] | ne`,
        '',
      ].join('\n'),
    );
  });

  it('quotes in time_format are literal', async () => {
    const s = fileStream({ time_format: "'%Y'" });
    await s.write(rec('x'));
    await flushAll();
    assert.equal(read(), "'2024' [333] | x\n");
  });

  it('close() closes the file, a write then fails, open() appends again', async () => {
    const s = fileStream({});
    await s.write(rec('one '));
    await s.close();
    assert.equal(s.isOpen, false);
    await s.write(rec('lost'));
    await assert.rejects(s.flush(), /closed/);
    await s.open();
    await s.write(rec('two'));
    await s.flush();
    assert.equal(read(), 'one two');
  });

  it('WatchedFileStream: after an external rename the next write creates a new file (8.6 #73)', async () => {
    const s = new WatchedFileStream({ filename: path.join(tmp.dir, 'w.log') }, fakeContext(T));
    open.push(s);
    await s.write(rec('old\n'));
    renameSync(path.join(tmp.dir, 'w.log'), path.join(tmp.dir, 'w.log.1'));
    await s.write(rec('new\n'));
    assert.equal(read('w.log'), 'new\n');
    assert.equal(read('w.log.1'), 'old\n');
    unlinkSync(path.join(tmp.dir, 'w.log'));
    await s.write(rec('again\n'));
    assert.equal(read('w.log'), 'again\n');
  });

  it('WatchedFileStream honours time_format', async () => {
    const s = new WatchedFileStream({ filename: path.join(tmp.dir, 'w.log'), time_format: '%H:%M' }, fakeContext(T));
    open.push(s);
    await s.write(rec('a\nb'));
    assert.equal(read('w.log'), '14:07 [333] | a\n14:07 [333] | b\n');
  });
});
