/**
 * The send queue's backlog (protocol/queued-publisher.ts), which the output
 * forwarder reads to keep its budget: a real PUB socket on an ipc file.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { QueuedPublisher } from '../../../../protocol/queued-publisher';
import { waitFor } from '../../cli/circusd-harness';

describe('protocol/queued-publisher: backlog in frames and characters', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'qp-backlog-'));
  });

  afterEach(() => {
    assert.equal(existsSync(path.join(dir, 'pub.sock')), false, 'no socket file left behind');
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts what waits for the socket and drains back to zero', async () => {
    const warnings: string[] = [];
    const pub = await QueuedPublisher.bind({
      endpoint: `ipc://${dir}/pub.sock`,
      key: 'pubsub_endpoint',
      label: 'pubsub',
      owner: null,
      resolveUid: () => Promise.reject(new Error('no owner expected')),
      maxQueued: 3,
      log: { warning: (m) => warnings.push(m) },
      flushMs: 0,
    });
    try {
      assert.deepEqual(pub.backlog, { frames: 0, chars: 0 });
      // Synchronous: three are queued (the last two are past maxQueued), then the first goes in flight.
      pub.publish([
        ['t.a', 'xx'],
        ['t.b', 'yyy'],
        ['t.c', 'zzzz'],
        ['t.d', '1'],
        ['t.e', '2'],
      ]);
      assert.deepEqual(pub.backlog, { frames: 2, chars: 3 + 3 + 3 + 4 });
      assert.equal(warnings.length, 1);
      await waitFor('the queue to drain', () => pub.backlog.frames === 0 || undefined, 10_000);
      assert.deepEqual(pub.backlog, { frames: 0, chars: 0 });
    } finally {
      await pub.close();
    }
  });
});
