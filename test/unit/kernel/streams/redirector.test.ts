import { strict as assert } from 'node:assert';
import { PassThrough } from 'node:stream';
import { NullLogger, OutputStream, Redirector, StreamRecord, StreamSink } from '../../../../kernel';
import { utf8Boundary } from '../../../../kernel/streams/utf8-boundary';
import { rec } from './helpers';

/** A stream whose writes finish only when the test says so. */
class GatedStream implements OutputStream {
  readonly got: string[] = [];
  private gates: (() => void)[] = [];
  write(record: StreamRecord): Promise<void> {
    return new Promise((resolve) => {
      this.gates.push(() => {
        this.got.push(record.data.toString('utf8'));
        resolve();
      });
    });
  }
  get waiting(): number {
    return this.gates.length;
  }
  release(): void {
    this.gates.shift()?.();
  }
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('kernel/streams: sink and redirector', () => {
  it('utf8Boundary holds back only an incomplete trailing sequence', () => {
    const euro = Buffer.from('€'); // e2 82 ac
    assert.equal(utf8Boundary(Buffer.from('abc')), 3);
    assert.equal(utf8Boundary(Buffer.concat([Buffer.from('a'), euro.subarray(0, 2)])), 1);
    assert.equal(utf8Boundary(Buffer.concat([Buffer.from('a'), euro])), 4);
    assert.equal(utf8Boundary(Buffer.from([0x61, 0xf0, 0x9f])), 1);
    assert.equal(utf8Boundary(Buffer.from([0x80, 0x80])), 2, 'stray continuation bytes are the decoder business');
  });

  it('the sink runs writes one at a time in arrival order and logs failures instead of throwing', async () => {
    const errors: string[] = [];
    const order: string[] = [];
    let n = 0;
    const stream: OutputStream = {
      write: async (r) => {
        const me = n++;
        await new Promise((res) => setTimeout(res, me === 0 ? 20 : 1));
        if (r.data.toString() === 'bad') throw new Error('disk full');
        order.push(r.data.toString());
      },
    };
    const sink = new StreamSink(stream, (op, err) => errors.push(`${op}: ${(err as Error).message}`));
    const all = ['a', 'bad', 'b'].map((t) => sink.write(rec(t)));
    await Promise.all(all);
    assert.deepEqual(order, ['a', 'b']);
    assert.deepEqual(errors, ['write: disk full']);
    assert.equal(new StreamSink({ write: () => undefined }, () => undefined).write(rec('sync')), null, 'a synchronous write costs no promise');
  });

  it('pauses a pipe while its chunk is being written, and never splits a character', async () => {
    const stream = new GatedStream();
    const sink = new StreamSink(stream, () => undefined);
    const r = new Redirector(() => sink, new NullLogger('t'), 'w');
    const pipe = new PassThrough();
    r.attach(42, 'stdout', pipe);
    const euro = Buffer.from('€');
    pipe.write(Buffer.concat([Buffer.from('x'), euro.subarray(0, 1)]));
    await tick();
    assert.equal(stream.waiting, 1);
    assert.ok(pipe.isPaused(), 'paused while the write is pending');
    pipe.write(euro.subarray(1));
    pipe.write(Buffer.from('y'));
    await tick();
    assert.equal(stream.waiting, 1, 'nothing more is handed over while paused');
    assert.ok(r.bufferedBytes >= 1);
    stream.release();
    await tick();
    await tick();
    assert.equal(stream.got[0], 'x');
    pipe.end();
    for (let i = 0; i < 10 && stream.waiting > 0; i += 1) {
      stream.release();
      await tick();
    }
    await r.stop(1000);
    assert.equal(stream.got.join(''), 'x€y');
    assert.ok(!stream.got.some((t) => t.includes('\ufffd')));
    assert.equal(r.attached, 0);
  });

  it('stop() destroys a pipe that never ends once the grace period is over', async () => {
    const sink = new StreamSink({ write: () => undefined }, () => undefined);
    const r = new Redirector(() => sink, new NullLogger('t'), 'w');
    const pipe = new PassThrough();
    r.attach(1, 'stderr', pipe);
    await r.stop(20);
    assert.ok(pipe.destroyed);
  });
});

describe('kernel/streams: the file write queue (WriteBehind)', () => {
  it('batches queued chunks, asks for a pause above the high-water mark, and reports a failed write once', async () => {
    const { WriteBehind } = await import('../../../../kernel/streams/write-behind');
    const batches: string[][] = [];
    let gate!: () => void;
    let fail = false;
    const q = new WriteBehind(async (bufs) => {
      batches.push(bufs.map((b) => b.toString()));
      if (batches.length === 1) await new Promise<void>((r) => (gate = r));
      if (fail) throw new Error('EIO');
    }, 4);
    assert.equal(q.push(Buffer.from('ab')), undefined);
    assert.equal(q.push(Buffer.from('cd')), undefined, 'at the mark: no pause yet');
    const paused = q.push(Buffer.from('ef'));
    assert.ok(paused instanceof Promise, 'above the mark: the caller must wait');
    assert.equal(q.queuedBytes, 6);
    gate();
    await paused;
    await q.drain();
    assert.deepEqual(batches, [['ab'], ['cd', 'ef']]);
    fail = true;
    q.push(Buffer.from('x'));
    await assert.rejects(q.drain(), /EIO/);
    await q.drain();
  });
});
