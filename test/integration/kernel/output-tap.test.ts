/**
 * The arbiter's output tap with real children and real FileStreams: while
 * tapped, pipes the file pump would copy are read on the main thread and
 * shown to the tap; the file still gets every byte; no character is ever
 * split between two chunks.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, statSync } from 'node:fs';
import { Arbiter, createArbiter, defaultCircusConfig, OutputChunk, WatcherOptions } from '../../../kernel';
import { fixture, kernelRig, waitFor } from './helpers';

describe('kernel integration: the output tap (arbiter.outputs) with FileStreams', function () {
  this.timeout(30000);
  const rig = kernelRig();
  const file = (name: string): string => rig.file(name);
  const ERR_TEXT = Array.from({ length: 20 }, (_, i) => `err ${i} ü\n`).join('');

  /** `n` euro-writer.js children: `bytes` of '€' on stdout (most writes end inside a character), then ERR_TEXT on stderr. */
  function writers(n: number, bytes: number): WatcherOptions {
    return {
      name: 'Euro Out',
      cmd: process.execPath,
      args: [fixture('euro-writer.js'), rig.tmp, String(bytes), '20'],
      numprocesses: n,
      respawn: false,
      graceful_timeout: 1,
      stdout_stream: { filename: file('out.log') },
      stderr_stream: { filename: file('err.log') },
    };
  }

  function create(w: WatcherOptions): Arbiter {
    rig.arbiter = createArbiter({ config: defaultCircusConfig({ check_delay: -1, watchers: [w] }), logger: rig.logger });
    return rig.arbiter;
  }

  it('shows every byte of FileStream pipes to the tap, whole characters only, and the files get every byte too', async () => {
    const bytes = 3 * 256 * 1024;
    const a = create(writers(2, bytes));
    const chunks: OutputChunk[] = [];
    const sub = a.outputs.tap((c) => chunks.push(c));
    await a.start();
    const pids = a.getWatcher('Euro Out').pids;
    assert.equal(pids.length, 2);
    await waitFor('every byte in the files', () => statSync(file('out.log')).size >= 2 * bytes && statSync(file('err.log')).size >= 2 * Buffer.byteLength(ERR_TEXT), 20000);
    await waitFor('the writers exited', () => a.getWatcher('Euro Out').pids.length === 0, 20000);
    sub.dispose();
    assert.equal(statSync(file('out.log')).size, 2 * bytes);
    const errText = readFileSync(file('err.log'), 'utf8');
    for (const pid of pids) {
      const mine = chunks.filter((c) => c.pid === pid);
      const out = Buffer.concat(mine.filter((c) => c.stream === 'stdout').map((c) => c.data));
      const err = Buffer.concat(mine.filter((c) => c.stream === 'stderr').map((c) => c.data)).toString('utf8');
      assert.equal(out.length, bytes, `the tap saw every stdout byte of ${pid}`);
      assert.ok(/^€+$/.test(out.toString('utf8')));
      assert.equal(err, ERR_TEXT);
    }
    for (const c of chunks) {
      assert.equal(c.watcher, 'Euro Out');
      assert.ok(!c.data.toString('utf8').includes('\ufffd'), 'no chunk starts or ends inside a character');
      assert.ok(c.time > 1.6e9, 'epoch seconds');
    }
    assert.ok(/^€+$/.test(readFileSync(file('out.log'), 'utf8')), 'the file holds whole characters');
    assert.equal(errText.length, 2 * ERR_TEXT.length);
    assert.deepEqual(rig.logger.lines.filter((l) => l.includes('failed')), []);
  });

  it('without a tap, FileStream pipes stay with the file pump: nothing passes through the main thread', async () => {
    const bytes = 3 * 256 * 1024;
    const a = create(writers(1, bytes));
    const chunks: OutputChunk[] = [];
    // Tapped and released before the start: inactive again when the pipes are attached.
    a.outputs.tap((c) => chunks.push(c)).dispose();
    await a.start();
    await waitFor('every byte in the file', () => statSync(file('out.log')).size >= bytes, 20000);
    assert.equal(chunks.length, 0);
    assert.equal(a.getWatcher('Euro Out').streams.redirector.peakBufferedBytes, 0, 'no byte went through the main thread');
  });
});
