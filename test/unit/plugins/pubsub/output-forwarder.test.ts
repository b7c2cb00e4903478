import { strict as assert } from 'node:assert';
import { OutputTap } from '../../../../kernel';
import { OUTPUT_BUDGET, OutputForwarder } from '../../../../plugins/pubsub';
import { cut } from '../../../../plugins/pubsub/output-forwarder';
import { decodeOutput } from '../../../../protocol/output-topics';
import type { QueuedPublisher } from '../../../../protocol/queued-publisher';
import { MemoryLogger } from '../../../support/memory-logger';
import { FakeClock } from '../../kernel/fakes';

/** The publisher's surface the forwarder uses, with a backlog the test sets. */
class FakePublisher {
  readonly sent: [string, string][] = [];
  backlog = { frames: 0, chars: 0 };
  publish(frames: readonly [string, string][]): void {
    this.sent.push(...frames);
  }
}

function setup(budget = { frames: 3, chars: 1000, frameChars: 100 }): { pub: FakePublisher; tap: OutputTap; logger: MemoryLogger; fwd: OutputForwarder } {
  const logger = new MemoryLogger();
  const pub = new FakePublisher();
  const tap = new OutputTap(new FakeClock(), logger);
  const fwd = new OutputForwarder(pub as unknown as QueuedPublisher, logger, budget);
  return { pub, tap, logger, fwd };
}

describe('plugins/pubsub: the output forwarder (publish_output)', () => {
  it('keeps output to a tenth of the event queue and a few MiB of text, in frames of 16 Ki characters or so', () => {
    assert.equal(OUTPUT_BUDGET.frames, 1000);
    assert.equal(OUTPUT_BUDGET.chars, 8 * 1024 * 1024);
    assert.equal(OUTPUT_BUDGET.frameChars, 16 * 1024);
  });

  it('cuts text into pieces of at most N UTF-16 units without splitting a surrogate pair', () => {
    assert.deepEqual(cut('', 3), ['']);
    assert.deepEqual(cut('abc', 3), ['abc']);
    assert.deepEqual(cut('abcdefg', 3), ['abc', 'def', 'g']);
    assert.deepEqual(cut('ab😀cd', 3), ['ab', '😀c', 'd']);
    assert.deepEqual(cut('😀😀', 1), ['\ud83d', '\ude00', '\ud83d', '\ude00'], 'a piece of one unit cannot hold a pair: cut anyway, never loop');
  });

  it('publishes a long chunk as several frames of the same pid and time, which join back to the text', () => {
    const { pub, tap, fwd } = setup();
    fwd.start(tap);
    const text = `${'x'.repeat(150)}é😀${'y'.repeat(99)}`;
    tap.publish('w', 3, 'stdout', Buffer.from(text));
    assert.equal(pub.sent.length, 3);
    const decoded = pub.sent.map(([t, b]) => decodeOutput(t, b));
    assert.ok(decoded.every((d) => d !== null && d.pid === 3 && d.time === 1000 && d.stream === 'stdout' && d.data.length <= 100));
    assert.equal(decoded.map((d) => d?.data).join(''), text);
    assert.ok(decoded.every((d) => !d?.data.includes('\ufffd')));
  });

  it('cuts a piece made mostly of escapes again, so no body runs far over twice the frame size', () => {
    const { pub, tap, fwd } = setup();
    fwd.start(tap);
    // 250 NULs: json.dumps writes each as \u0000, 1500 characters for 250.
    const junk = `${'\0'.repeat(250)}€€€€€`;
    tap.publish('w', 4, 'stderr', Buffer.from(junk));
    assert.ok(pub.sent.length >= 8, String(pub.sent.length));
    const bodies = pub.sent.map(([, b]) => b.length);
    assert.ok(bodies.every((n) => n <= 2 * 100 + 60), bodies.join(','));
    assert.equal(pub.sent.map(([t, b]) => decodeOutput(t, b)?.data).join(''), junk);
  });

  it('publishes each tapped chunk as output.<resname>.<stream> with the exact body, until stopped', () => {
    const { pub, tap, fwd } = setup();
    fwd.start(tap);
    fwd.start(tap);
    tap.publish('My Web', 12, 'stderr', Buffer.from('é\n'));
    assert.deepEqual(pub.sent, [['output.my_web.stderr', '{"pid": 12, "data": "\\u00e9\\n", "time": 1000.0}']], 'one tap, even when started twice');
    fwd.stop();
    assert.equal(tap.active, false);
    tap.publish('w', 1, 'stdout', Buffer.from('late'));
    assert.equal(pub.sent.length, 1);
  });

  it('drops chunks (counted, logged once) while the backlog is over budget, and reports them when it drains', () => {
    const { pub, tap, fwd, logger } = setup({ frames: 3, chars: 1000, frameChars: 100 });
    fwd.start(tap);
    pub.backlog = { frames: 3, chars: 10 };
    tap.publish('w', 1, 'stdout', Buffer.from('aaaa'));
    pub.backlog = { frames: 0, chars: 1000 };
    tap.publish('w', 1, 'stdout', Buffer.from('bb'));
    assert.equal(pub.sent.length, 0);
    assert.equal(logger.lines.filter((l) => l.includes('dropping output chunks')).length, 1);
    pub.backlog = { frames: 2, chars: 999 };
    tap.publish('w', 1, 'stdout', Buffer.from('c'));
    assert.equal(pub.sent.length, 1);
    assert.ok(logger.has('WARNING pubsub: 2 output chunks (6 bytes) were dropped'), logger.lines.join('\n'));
    pub.backlog = { frames: 9, chars: 0 };
    tap.publish('w', 1, 'stdout', Buffer.from('ddd'));
    fwd.stop();
    assert.ok(logger.has('WARNING pubsub: 1 output chunks (3 bytes) were dropped'), 'reported at stop');
  });
});
