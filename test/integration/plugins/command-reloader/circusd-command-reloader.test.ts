import { strict as assert } from 'node:assert';
import { utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { PluginDaemon, waitFor } from '../flapping/circusd-plugin-run';

describe('command_reloader through circusd: [plugin:NAME] use = circus.plugins.command_reloader.CommandReloader', function () {
  this.timeout(60_000);
  let d: PluginDaemon;

  beforeEach(() => {
    d = new PluginDaemon();
  });

  afterEach(async () => {
    await d.close();
  });

  it('restarts the watcher whose script changed', async () => {
    const script = path.join(d.dir, 'app.js');
    const write = (version: number): void =>
      writeFileSync(script, `#!${process.execPath}\n// version ${version}\nsetInterval(() => {}, 1 << 30);\n`, { mode: 0o755 });
    write(1);
    await d.start(`[circus]
check_delay = 1
endpoint = ipc://{dir}/ctl.sock
pubsub_endpoint = ipc://{dir}/pub.sock

[watcher:app]
cmd = {dir}/app.js
graceful_timeout = 2

[plugin:reloader]
use = circus.plugins.command_reloader.CommandReloader
loop_rate = 1
`);
    const [before] = await waitFor('the app process', async () => {
      const pids = await d.pids('app');
      return pids.length === 1 ? pids : null;
    }, 15_000);
    // The plugin only records a watcher at its first period, which the test cannot see from
    // outside: rewrite with a newer mtime each round until a period notices the change.
    let version = 1;
    await waitFor('the restart', async () => {
      if ((await d.pids('app')).some((p) => p !== before)) return true;
      version += 1;
      write(version);
      const when = new Date(Date.now() + version * 1000);
      utimesSync(script, when, when);
      await new Promise((r) => setTimeout(r, 250));
      return false;
    }, 20_000);
    assert.match(d.log(), /\[INFO\] .*app\.js modified\. Restarting\./);
    assert.equal((await d.call('status', { name: 'app' })).status, 'active');
  });
});
