import { strict as assert } from 'node:assert';
import { PluginConfigError, preparePlugin } from '../../../../kernel';
import { human2bytes } from '../../../../protocol/human-size';
import { plugin, ResourceWatcher, type ResourceWatcherOptions } from '../../../../plugins/resource-watcher';
import { parseMemoryLimit, sampleOf } from '../../../../plugins/resource-watcher/thresholds';
import { FakePluginContext } from '../../../support/fake-plugin-context';
import { UdpListener } from '../../../support/udp-listener';
import { waitFor } from '../../../integration/kernel/helpers';

/** The schema's defaults, as the host would hand them over, plus overrides. */
function options(port: number, over: Partial<Record<keyof ResourceWatcherOptions, unknown>> = {}): ResourceWatcherOptions {
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(plugin.options)) if (spec.default !== undefined) out[key] = spec.default;
  return { ...out, host: '127.0.0.1', port, watcher: 'test', ...over } as ResourceWatcherOptions;
}

/** A `stats` record as the command gives it. */
function rec(pid: number, cpu: number | string, mem: number | string, rss: string, children: unknown[] = []): Record<string, unknown> {
  return { pid, cpu, mem, mem_info1: rss, mem_info2: '100.00M', children };
}

describe('resource_watcher (spec/daemon.md 6.8)', () => {
  let udp: UdpListener;
  let ctx: FakePluginContext;
  let rw: ResourceWatcher | null;
  let info: Record<string, unknown>;

  beforeEach(async () => {
    udp = await new UdpListener().start();
    ctx = new FakePluginContext({ name: 'plugin:rw' });
    info = { '100': rec(100, 0.5, 1.5, '10.00M') };
    ctx.replies.set('stats', (props) => (props.name === 'test' ? { name: 'test', info } : new Error(`program ${String(props.name)} not found`)));
    rw = null;
  });

  afterEach(async () => {
    await rw?.stop();
    await udp.close();
  });

  async function started(over: Partial<Record<keyof ResourceWatcherOptions, unknown>> = {}): Promise<ResourceWatcher> {
    rw = new ResourceWatcher(ctx, options(udp.port, over));
    await rw.start();
    return rw;
  }

  async function counters(fragment: string, n = 1): Promise<string[]> {
    return waitFor(`${n} datagram(s) with ${fragment}`, () => (udp.matching(fragment).length >= n ? udp.matching(fragment) : null));
  }

  it('declares every option with the Circus defaults', () => {
    const defaults = Object.fromEntries(Object.entries(plugin.options).map(([k, s]) => [k, s.default]));
    assert.deepEqual(defaults, {
      host: 'localhost', port: 8125, sample_rate: 1, application_name: 'app', watcher: undefined, service: undefined,
      loop_rate: 60, max_cpu: 90, min_cpu: undefined, max_mem: '90', min_mem: undefined, health_threshold: 75,
      max_count: 3, process_children: false, child_signal: 15,
    });
    assert.deepEqual(plugin.aliases, ['circus.plugins.resource_watcher.ResourceWatcher']);
  });

  it('runs its check every loop_rate seconds', async () => {
    await started({ loop_rate: 2.5 });
    assert.equal(ctx.periods.length, 1);
    assert.equal(ctx.periods[0].seconds, 2.5);
    await rw?.stop();
    assert.equal(ctx.periods[0].disposed, true);
  });

  it('fails to start without watcher (or service)', async () => {
    rw = new ResourceWatcher(ctx, options(udp.port, { watcher: undefined }));
    await assert.rejects(rw.start(), (err: unknown) => {
      assert.ok(err instanceof PluginConfigError);
      assert.equal(err.message, 'invalid plugin configuration: [plugin:rw] watcher: missing: watcher is mandatory (or the deprecated service)');
      return true;
    });
  });

  it('its cross-option rules are checked with the schema, before any plugin starts', () => {
    const { problems } = preparePlugin({ name: 'plugin:rw', __name__: 'plugin:rw', use: 'resource_watcher', max_mem: 'lots', loop_rate: '0' }, plugin);
    assert.ok(problems.includes('[plugin:rw] watcher: missing: watcher is mandatory (or the deprecated service)'), problems.join('\n'));
    assert.ok(problems.some((p) => p.startsWith('[plugin:rw] max_mem:')), problems.join('\n'));
    assert.ok(problems.includes('[plugin:rw] loop_rate: must be positive, not 0'), problems.join('\n'));
  });

  it('accepts the deprecated service with a deprecation warning', async () => {
    await started({ watcher: undefined, service: 'test', max_mem: '0.01' });
    assert.ok(ctx.logger.has('WARNING ResourceWatcher.service is deprecated please use ResourceWatcher.watcher instead.'));
    await rw?.lookAfter();
    assert.deepEqual(ctx.sent[0], { kind: 'call', command: 'stats', props: { name: 'test' } });
    await counters('_resource_watcher.test.over_memory');
  });

  it('reports every bad option at once: max_mem/min_mem neither a percentage nor a size, loop_rate 0', async () => {
    rw = new ResourceWatcher(ctx, options(udp.port, { max_mem: '12Q', min_mem: 'x', loop_rate: 0 }));
    await assert.rejects(rw.start(), (err: unknown) => {
      assert.ok(err instanceof PluginConfigError);
      assert.deepEqual(err.problems, [
        '[plugin:rw] max_mem: 12Q is neither a percentage (90) nor a size with a unit (512M)',
        '[plugin:rw] min_mem: x is neither a percentage (90) nor a size with a unit (512M)',
        '[plugin:rw] loop_rate: must be positive, not 0',
      ]);
      return true;
    });
  });

  // The six threshold cases of tests/test_plugin_resource_watcher.py.
  const cases: [string, Partial<Record<keyof ResourceWatcherOptions, unknown>>, string][] = [
    ['max_mem = 0.01 (percent)', { max_mem: '0.01' }, 'over_memory'],
    ['max_mem = 1M (bytes)', { max_mem: '1M' }, 'over_memory'],
    ['min_mem = 100000.1 (percent)', { min_mem: '100000.1' }, 'under_memory'],
    ['min_mem = 100M (bytes)', { min_mem: '100M' }, 'under_memory'],
    ['max_cpu = -0.1', { max_cpu: -0.1 }, 'over_cpu'],
    ['min_cpu = 99.0', { min_cpu: 99.0 }, 'under_cpu'],
  ];
  for (const [title, over, check] of cases) {
    it(`${title} counts ${check}`, async () => {
      await started(over);
      await rw?.lookAfter();
      const lines = await counters(`_resource_watcher.test.${check}`);
      assert.deepEqual(lines, [`circus.app.watcher._resource_watcher.test.${check}:1|c`]);
      assert.equal(rw?.countersOf('parent')[check as 'over_cpu'], 1);
    });
  }

  it('compares an absolute min_mem with RSS bytes, not with the percentage (quirk Q30 fixed)', async () => {
    await started({ min_mem: '1M' });
    await rw?.lookAfter();
    assert.equal(rw?.countersOf('parent').under_memory, 0, '10M of RSS is not under 1M');
  });

  it('over_health when (max cpu + max mem%) / 2 exceeds health_threshold; 0 disables it', async () => {
    info = { '100': rec(100, 80, 30, '10.00M') };
    await started({ health_threshold: 50 });
    await rw?.lookAfter();
    assert.equal(rw?.countersOf('parent').over_health, 1);
    await rw?.stop();
    await started({ health_threshold: 0 });
    await rw?.lookAfter();
    assert.equal(rw?.countersOf('parent').over_health, 0);
  });

  it('"N/A" cpu and mem count as 100, so they trip max_cpu and health', async () => {
    info = { '100': rec(100, 'N/A', 'N/A', 'N/A') };
    await started();
    await rw?.lookAfter();
    assert.deepEqual({ ...rw?.countersOf('parent') }, { over_cpu: 1, under_cpu: 0, over_memory: 1, under_memory: 0, over_health: 1 });
  });

  it('restarts the watcher on the 4th consecutive violation with max_count 3, then counts from zero', async () => {
    await started({ max_mem: '1M' });
    for (let i = 0; i < 3; i += 1) await rw?.lookAfter();
    assert.deepEqual(ctx.casts, [], 'three violations are tolerated');
    await rw?.lookAfter();
    assert.deepEqual(ctx.casts, [{ kind: 'cast', command: 'restart', props: { name: 'test' } }]);
    await counters('_resource_watcher.test.restarting');
    assert.equal(rw?.countersOf('parent').over_memory, 0);
    assert.ok(ctx.logger.has('INFO test: over_memory for more than 3 checks: restarting'));
  });

  it('a pass without the violation resets its consecutive counter', async () => {
    await started({ max_mem: '1M', max_count: 1 });
    await rw?.lookAfter();
    info = { '100': rec(100, 0.5, 1.5, '100.00K') };
    await rw?.lookAfter();
    assert.equal(rw?.countersOf('parent').over_memory, 0);
    info = { '100': rec(100, 0.5, 1.5, '10.00M') };
    await rw?.lookAfter();
    assert.deepEqual(ctx.casts, []);
  });

  it('process_children: an offending child gets child_signal through pid + childpid (quirk Q30 fixed)', async () => {
    info = { '100': rec(100, 0.5, 1.5, '100.00K', [rec(200, 0.1, 0.5, '50.00M'), rec(201, 0.1, 0.5, '10.00K')]) };
    await started({ max_mem: '1M', max_count: 0, process_children: true, child_signal: 9 });
    await rw?.lookAfter();
    assert.deepEqual(ctx.casts, [{ kind: 'cast', command: 'signal', props: { name: 'test', signum: 9, pid: 100, childpid: 200 } }]);
    assert.equal(rw?.countersOf('200').over_memory, 0, 'the signalled child starts over');
  });

  it('an error reply of stats counts _resource_watcher.<watcher>.error', async () => {
    await started({ watcher: 'ghost' });
    await rw?.lookAfter();
    assert.deepEqual(await counters('_resource_watcher.ghost.error'), ['circus.app.watcher._resource_watcher.ghost.error:1|c']);
  });

  it('no process: every extreme is 0 (nothing over, under_cpu with a min_cpu)', () => {
    assert.deepEqual(sampleOf([]), { maxCpu: 0, minCpu: 0, maxMem: 0, minMem: 0, maxRss: 0, minRss: 0 });
    assert.deepEqual(sampleOf(['No such process (stopped?)']), sampleOf([]));
  });

  it('max_mem/min_mem: a number is a percentage, a size with a unit is bytes', () => {
    assert.deepEqual(parseMemoryLimit('90'), { percent: 90 });
    assert.deepEqual(parseMemoryLimit('0.01'), { percent: 0.01 });
    assert.deepEqual(parseMemoryLimit('1M'), { bytes: 1048576 });
    assert.deepEqual(parseMemoryLimit('1.5G'), { bytes: 1610612736 });
  });
});

describe('human2bytes (tests/test_util.py)', () => {
  it('converts sizes with Circus units', () => {
    assert.equal(human2bytes('1B'), 1);
    assert.equal(human2bytes('9K'), 9216);
    assert.equal(human2bytes('9k'), 9216);
    assert.equal(human2bytes('1129M'), 1183842304);
    assert.equal(human2bytes('1.99G'), 2136746229);
    assert.equal(human2bytes('2Mi'), 2097152);
    assert.equal(human2bytes('3 kilo'), 3072);
    assert.equal(human2bytes('1 mebi'), 1048576);
  });
  it('rejects what Circus rejects', () => {
    for (const bad of ['', 'faoej', '123KB', '48', '23V', '.K']) assert.throws(() => human2bytes(bad), /can't interpret/, bad);
  });
});
