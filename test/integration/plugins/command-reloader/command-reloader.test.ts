import { strict as assert } from 'node:assert';
import { realpathSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { plugin as commandReloader, type CommandReloaderPlugin } from '../../../../plugins/command-reloader/index';
import { startPlugin, type RunningPlugin } from '../../../support/plugin-context';
import { alive } from '../../kernel/helpers';
import { Bench, waitFor } from '../commands/helpers';

describe('command_reloader plugin against a real watcher (spec/daemon.md 6.12)', function () {
  this.timeout(60000);
  let b: Bench;
  let running: RunningPlugin<CommandReloaderPlugin> | null = null;

  beforeEach(() => {
    b = new Bench();
  });

  afterEach(async () => {
    await running?.stop();
    running = null;
    assert.deepEqual(await b.close(), [], 'no process may outlive the test');
  });

  /** An executable script in the temp dir (its path is the leak-check marker in the child's argv). */
  function writeScript(file: string, version: number): void {
    writeFileSync(file, `#!${process.execPath}\n// version ${version}\nsetInterval(() => {}, 1 << 30);\n`, { mode: 0o755 });
  }

  it('restarts a watcher whose executable was rewritten, and only that watcher', async () => {
    const script = path.join(b.tmp, 'app.js');
    writeScript(script, 1);
    await b.start({ watchers: [{ name: 'app', cmd: script, graceful_timeout: 2 }, b.sleeper('other')] });
    const [before] = b.a.getWatcher('app').pids;
    const [otherPid] = b.a.getWatcher('other').pids;
    running = await startPlugin<CommandReloaderPlugin>(b.a, commandReloader, { loop_rate: 1 }, b.logger);
    // One period records the watchers one after the other: wait for the whole period, not its first step.
    await waitFor(
      'the first period',
      () => running!.plugin.seen('app') !== undefined && running!.plugin.seen('other') !== undefined,
      10000,
    );
    assert.equal(running.plugin.seen('app')!.path, realpathSync(script));

    writeScript(script, 2);
    // A later mtime than the recorded one, whatever the filesystem's timestamp granularity.
    const later = new Date(Date.now() + 10_000);
    utimesSync(script, later, later);
    await waitFor('the restart', () => b.a.getWatcher('app').pids.some((p) => p !== before), 15000);
    assert.ok(b.logger.has(`INFO ${realpathSync(script)} modified. Restarting.`));
    await waitFor('the old process gone', () => !alive(before), 10000);
    assert.equal(b.a.getWatcher('app').status, 'active');
    assert.deepEqual(b.a.getWatcher('other').pids, [otherPid], 'the other watcher is untouched');
    assert.equal(b.logger.lines.filter((l) => l.includes('modified. Restarting.')).length, 1);
  });
});
