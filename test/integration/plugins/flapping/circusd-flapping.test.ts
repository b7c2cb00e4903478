import { strict as assert } from 'node:assert';
import { PluginDaemon, waitFor } from './circusd-plugin-run';

describe('flapping through circusd: [plugin:NAME] use = circus.plugins.flapping.Flapping', function () {
  this.timeout(60_000);
  let d: PluginDaemon;

  beforeEach(() => {
    d = new PluginDaemon();
  });

  afterEach(async () => {
    await d.close();
  });

  it('stops a crashing watcher after its flapping.max_retry retries and leaves it stopped', async () => {
    await d.start(`[circus]
check_delay = 1
endpoint = ipc://{dir}/ctl.sock
pubsub_endpoint = ipc://{dir}/pub.sock

[watcher:crash]
cmd = {node} {programs}/die.js 3 {dir}
flapping.max_retry = 1

[plugin:flapping]
use = circus.plugins.flapping.Flapping
attempts = 3
window = 10
retry_in = 0.3
`);
    await waitFor('the max retry limit', () => d.log().includes('crash: flapping detected: reached max retry limit'), 30_000);
    assert.match(d.log(), /\[INFO\] crash: flapping detected: retry in {2}0s \(attempt number 1\)/);
    assert.ok(!d.log().includes('attempt number 2'), 'flapping.max_retry = 1 of the watcher wins over the plugin default 5');
    await waitFor('crash stopped', async () => (await d.call('status', { name: 'crash' })).status === 'stopped', 10_000);
    assert.deepEqual((await d.call('list')).watchers, ['crash', 'plugin:flapping']);
    assert.equal((await d.call('status', { name: 'plugin:flapping' })).status, 'active');
  });
});
