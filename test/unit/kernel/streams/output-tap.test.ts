import { strict as assert } from 'node:assert';
import { writeSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { OutputChunk, OutputStream, OutputTap, Redirector, StreamRecord, StreamSink } from '../../../../kernel';
import { closeFd, openPipe } from '../../../../kernel/sockets/libc';
import { MemoryLogger } from '../../../support/memory-logger';
import { FakeClock } from '../fakes';

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

/** A synchronous stream that records the text it is given. */
class Recorder implements OutputStream {
  readonly got: Buffer[] = [];
  write(record: StreamRecord): void {
    this.got.push(record.data);
  }
  get text(): string {
    return Buffer.concat(this.got).toString('utf8');
  }
}

/** A Recorder that offers to adopt raw pipes (as FileStream does) and counts the offers; it always declines. */
class Adopter extends Recorder {
  offers = 0;
  adoptPipe(): null {
    this.offers += 1;
    return null;
  }
}

function setup(stream: OutputStream = new Recorder()): { tap: OutputTap; logger: MemoryLogger; clock: FakeClock; r: Redirector; chunks: OutputChunk[] } {
  const logger = new MemoryLogger();
  const clock = new FakeClock();
  const tap = new OutputTap(clock, logger);
  const sink = new StreamSink(stream, () => undefined);
  const r = new Redirector(() => sink, logger, 'My Web', tap);
  return { tap, logger, clock, r, chunks: [] };
}

describe('kernel/streams: the output tap (OutputTap) and the redirector feeding it', () => {
  it('is inactive until tapped, and again once every tap is disposed', () => {
    const { tap } = setup();
    assert.equal(tap.active, false);
    const a = tap.tap(() => undefined);
    const b = tap.tap(() => undefined);
    assert.equal(tap.active, true);
    a.dispose();
    a.dispose();
    assert.equal(tap.active, true, 'disposing one tap twice does not drop the other');
    b.dispose();
    assert.equal(tap.active, false);
  });

  it('hands every chunk read to the tap with watcher, pid, stream and the clock time, and the stream still gets it', async () => {
    const stream = new Recorder();
    const { tap, r } = setup(stream);
    const chunks: OutputChunk[] = [];
    const sub = tap.tap((c) => chunks.push(c));
    const out = new PassThrough();
    const err = new PassThrough();
    r.attach(42, 'stdout', out);
    r.attach(42, 'stderr', err);
    out.write('hello\n');
    err.write('oops\n');
    await tick();
    assert.deepEqual(
      chunks.map((c) => [c.watcher, c.pid, c.stream, c.data.toString(), c.time]),
      [
        ['My Web', 42, 'stdout', 'hello\n', 1000],
        ['My Web', 42, 'stderr', 'oops\n', 1000],
      ],
    );
    assert.equal(stream.text, 'hello\noops\n');
    sub.dispose();
    out.write('unseen\n');
    await tick();
    assert.equal(chunks.length, 2, 'nothing is handed over once the tap is gone');
    assert.equal(stream.text, 'hello\noops\nunseen\n');
    out.end();
    err.end();
    await r.stop(1000);
  });

  it('never splits a multibyte character between two chunks, and flushes a cut-off tail at end of file', async () => {
    const stream = new Recorder();
    const { tap, r } = setup(stream);
    const chunks: OutputChunk[] = [];
    tap.tap((c) => chunks.push(c));
    const pipe = new PassThrough();
    r.attach(7, 'stdout', pipe);
    const text = Buffer.from('a€b😀c');
    // One byte at a time: every possible cut.
    for (const byte of text) {
      pipe.write(Buffer.from([byte]));
      await tick();
    }
    pipe.write(Buffer.from('€').subarray(0, 2));
    pipe.end();
    await r.stop(1000);
    const texts = chunks.map((c) => c.data.toString('utf8'));
    assert.equal(texts.slice(0, -1).join(''), 'a€b😀c');
    assert.ok(texts.slice(0, -1).every((t) => !t.includes('\ufffd')), texts.join('|'));
    assert.deepEqual(texts.slice(0, -1), ['a', '€', 'b', '😀', 'c']);
    assert.equal(chunks[chunks.length - 1].data.length, 2, 'the incomplete tail is handed over at end of file');
    assert.equal(Buffer.concat(stream.got).length, text.length + 2, 'the stream got every byte');
  });

  it('a listener that throws is logged; the stream and the other listeners still get the chunk', async () => {
    const stream = new Recorder();
    const { tap, r, logger } = setup(stream);
    const seen: string[] = [];
    tap.tap(() => {
      throw new Error('boom');
    });
    tap.tap((c) => seen.push(c.data.toString()));
    const pipe = new PassThrough();
    r.attach(5, 'stderr', pipe);
    pipe.end('x');
    await r.stop(1000);
    assert.deepEqual(seen, ['x']);
    assert.equal(stream.text, 'x');
    assert.ok(logger.has('ERROR output listener failed on the stderr of My Web (pid 5): boom'), logger.lines.join('\n'));
  });

  it('offers a raw pipe to an adopting stream (the file pump) only while nobody taps', async () => {
    for (const tapped of [false, true]) {
      const stream = new Adopter();
      const { tap, r } = setup(stream);
      const chunks: OutputChunk[] = [];
      if (tapped) tap.tap((c) => chunks.push(c));
      const fds = openPipe(0);
      r.attach(9, 'stdout', { kind: 'raw-pipe', fd: fds.read });
      writeSync(fds.write, 'raw bytes\n');
      closeFd(fds.write);
      await r.stop(5000);
      assert.equal(stream.offers, tapped ? 0 : 1, `tapped=${tapped}`);
      assert.equal(stream.text, 'raw bytes\n');
      assert.equal(chunks.map((c) => c.data.toString()).join(''), tapped ? 'raw bytes\n' : '');
      assert.equal(r.attached, 0);
    }
  });
});
