import { strict as assert } from 'node:assert';
import { CommandRegistry, defaultCircusConfig, ExclusiveLock, type CircusConfigOverrides } from '../../../../kernel';
import type { CommandDeps } from '../../../../plugins/commands/deps';
import { globaloptionsCommand } from '../../../../plugins/commands/globaloptions';

/** `globaloptions` through a real registry, its deps holding only a config (nothing is bound). */
async function globaloptions(overrides: CircusConfigOverrides, props: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const registry = new CommandRegistry(new ExclusiveLock());
  registry.register(globaloptionsCommand({ config: defaultCircusConfig(overrides) } as unknown as CommandDeps));
  const outcome = await registry.invoke('globaloptions', props);
  assert.ok('value' in outcome);
  return outcome.value as Record<string, unknown>;
}

describe('globaloptions warnings (issue 9)', () => {
  it('endpoints bound beyond loopback without CURVE: a top-level warnings list, options untouched', async () => {
    const reply = await globaloptions({ endpoint: 'tcp://0.0.0.0:5555', pubsub_endpoint: 'tcp://*:5556' });
    assert.deepEqual(Object.keys(reply), ['options', 'warnings']);
    assert.deepEqual(Object.keys(reply.options as object), ['endpoint', 'stats_endpoint', 'pubsub_endpoint', 'check_delay', 'multicast_endpoint']);
    const warnings = reply.warnings as string[];
    assert.equal(warnings.length, 2);
    assert.match(warnings[0], /^SECURITY WARNING: the control endpoint \(endpoint = tcp:\/\/0\.0\.0\.0:5555\)/);
    assert.match(warnings[1], /^SECURITY WARNING: the pubsub endpoint \(pubsub_endpoint = tcp:\/\/\*:5556\)/);
    // With `option` too, beside the one option.
    const one = await globaloptions({ endpoint: 'tcp://192.168.1.2:5555' }, { option: 'endpoint' });
    assert.deepEqual(one.options, { endpoint: 'tcp://192.168.1.2:5555' });
    assert.equal((one.warnings as string[]).length, 1);
  });

  it('keeps publish_output beside the warnings', async () => {
    const reply = await globaloptions({ endpoint: 'tcp://0.0.0.0:5555', publish_output: true });
    assert.deepEqual(Object.keys(reply), ['options', 'publish_output', 'warnings']);
    assert.equal(reply.publish_output, true);
  });

  it('no warnings field with loopback or ipc endpoints, nor with CURVE on', async () => {
    assert.deepEqual(Object.keys(await globaloptions({})), ['options']);
    assert.deepEqual(Object.keys(await globaloptions({ endpoint: 'ipc:///tmp/c.sock', pubsub_endpoint: 'tcp://[::1]:5556' })), ['options']);
    const curve = await globaloptions({ endpoint: 'tcp://0.0.0.0:5555', curve_secret_key: 'server.key_secret', curve_authorized_keys: ['a.key'] });
    assert.deepEqual(Object.keys(curve), ['options']);
  });
});
