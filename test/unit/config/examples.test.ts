import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { checkConstruction, formatConfig, loadConfig } from '../../../config';
import { BASE_ENV, catchConfigError, REPO_ROOT } from './helpers';

describe('config: the example configs under examples/', () => {
  const dir = path.join(REPO_ROOT, 'examples');
  const examples = fs.readdirSync(dir).filter((f) => f.endsWith('.ini') && f !== 'broken.ini').sort();

  it('has the quick-start config and more examples', () => {
    assert.ok(examples.includes('circus.ini'));
    assert.ok(examples.length >= 4, examples.join(', '));
  });

  for (const name of examples) {
    it(`loads examples/${name} without error, warning or skipped watcher`, () => {
      const file = path.join(dir, name);
      const { config, warnings } = loadConfig(file, { env: BASE_ENV });
      assert.deepStrictEqual(warnings, []);
      assert.ok(config.watchers.length > 0);
      const report = checkConstruction(config, file, { env: BASE_ENV, cwd: REPO_ROOT });
      assert.deepStrictEqual(report.warnings, []);
      assert.ok(formatConfig(config).startsWith('{\n'));
    });
  }

  it('keeps the quick-start endpoints on loopback and runs node workers that exist', () => {
    const { config } = loadConfig(path.join(dir, 'circus.ini'), { env: BASE_ENV });
    assert.ok(config.endpoint.startsWith('tcp://127.0.0.1:'));
    assert.ok(config.pubsub_endpoint.startsWith('tcp://127.0.0.1:'));
    assert.strictEqual(config.multicast_endpoint, '');
    for (const w of config.watchers) {
      const script = w.cmd.split(/\s+/)[1];
      assert.ok(fs.existsSync(path.join(REPO_ROOT, script)), script);
      assert.strictEqual(w.copy_env, true);
      assert.strictEqual(w.working_dir, null);
    }
  });

  it('examples/includes.ini pulls in conf.d/*.ini and env.ini', () => {
    const { config } = loadConfig(path.join(dir, 'includes.ini'), { env: BASE_ENV });
    assert.deepStrictEqual(config.watchers.map((w) => w.name), ['api', 'batch', 'fast-ticker', 'slow-ticker', 'web-1']);
    assert.strictEqual(config.watchers.find((w) => w.name === 'fast-ticker')!.env.TICK_SECONDS, '1');
  });

  it('examples/broken.ini reports every problem at once', () => {
    const file = path.join(dir, 'broken.ini');
    const err = catchConfigError(() => loadConfig(file, { env: BASE_ENV }));
    assert.strictEqual(err.code, 'CONFIG_INVALID');
    assert.deepStrictEqual(
      err.problems.map((p) => [p.line, p.section ?? '', p.key ?? '']),
      [
        [3, '', ''],
        [6, 'circus', 'check_delay'],
        [7, 'circus', 'umask'],
        [11, 'watcher:web', 'numprocesses'],
        [12, 'watcher:web', 'stop_signal'],
        [13, 'watcher:web', 'shell'],
        [14, 'watcher:web', ''],
        [16, 'plugin:broken', 'use'],
        [17, 'plugin:broken', 'priority'],
        [21, 'socket:web', 'so_reuseport'],
      ],
    );
    for (const p of err.problems) assert.ok(err.message.includes(`${file}:${p.line}: `));
  });
});
