import { strict as assert } from 'node:assert';
import { createSocket } from 'node:dgram';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { PluginDaemon, waitFor } from '../flapping/circusd-plugin-run';

/** A loopback UDP port free a moment ago (the INI needs the number before circusd binds it). */
async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
  const { port } = s.address();
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

describe('watchdog through circusd: [plugin:NAME] use = circus.plugins.watchdog.WatchDog', function () {
  this.timeout(60_000);
  let d: PluginDaemon;

  beforeEach(() => {
    d = new PluginDaemon();
  });

  afterEach(async () => {
    await d.close();
  });

  it('kills the process that went silent, with a Python msg_regex; circusd replaces it', async () => {
    const port = await freeUdpPort();
    await d.start(`[circus]
check_delay = 1
endpoint = ipc://{dir}/ctl.sock
pubsub_endpoint = ipc://{dir}/pub.sock

[watcher:beat]
cmd = {node} {programs}/heartbeat.js ${port} {dir}/silence {dir}
graceful_timeout = 2

[plugin:watchdog]
use = circus.plugins.watchdog.WatchDog
loop_rate = 0.25
max_count = 4
port = ${port}
watchers_regex = ^beat$
msg_regex = ^(?P<pid>\\d+);(?P<timestamp>[0-9.]+)$
`);
    await waitFor('the watchdog socket', () => d.log().includes(`Watchdog listening UDP on 127.0.0.1:${port}`), 15_000);
    const [pid] = await waitFor('the beat process', async () => {
      const pids = await d.pids('beat');
      return pids.length === 1 ? pids : null;
    }, 15_000);
    writeFileSync(path.join(d.dir, 'silence'), '');
    await waitFor('the kill', () => d.log().includes(`watcher:beat, pid:${pid} is not responding. Kill it !`), 20_000);
    await waitFor('a replacement', async () => (await d.pids('beat')).some((p) => p !== pid), 15_000);
    assert.ok(!d.log().includes('does not match msg_regex'), 'every heartbeat matched the translated pattern');
  });
});
