import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { alive, repoRoot } from './helpers';

describe('examples/embedding: an arbiter built from code', function () {
  this.timeout(20000);

  it('starts two watchers, prints their pids, stops, and leaves nothing behind', async () => {
    const script = path.join(repoRoot(), 'build/examples/embedding/two-watchers.js');
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [script], { timeout: 15000 });
    const [pidsLine, outcomeLine] = stdout.trim().split('\n');
    const pids = JSON.parse(pidsLine) as Record<string, number[]>;
    assert.deepEqual(Object.keys(pids).sort(), ['web', 'worker']);
    assert.equal(pids.web.length, 2);
    assert.equal(pids.worker.length, 1);
    assert.deepEqual(JSON.parse(outcomeLine), { outcome: 'quit' });
    for (const pid of [...pids.web, ...pids.worker]) assert.ok(!alive(pid), `pid ${pid} stopped`);
    assert.match(stderr, /\[INFO\] Starting master on pid \d+/);
    assert.match(stderr, /\[INFO\] Arbiter now waiting for commands/);
    // priority 5 starts before priority 0
    assert.ok(stderr.indexOf('worker started') < stderr.indexOf('web started'));
    assert.match(stderr, /\[INFO\] Arbiter exiting/);
  });
});
