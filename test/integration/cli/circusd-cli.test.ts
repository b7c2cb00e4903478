import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FIXTURES, ROOT, Sandbox } from './circusd-harness';

const STACK_FRAME = /^\s+at /m;

describe('circusd command line (integration, spec/daemon.md 7.1)', function () {
  this.timeout(20_000);
  let box: Sandbox;

  beforeEach(() => {
    box = new Sandbox();
  });

  afterEach(async () => {
    await box.cleanup();
  });

  it('without arguments prints the usage on stdout and exits 0', async () => {
    const r = await box.run([]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /Usage: circusd \[-h\] \[--log-level LEVEL\]/);
    assert.match(r.stdout, /--daemon/);
    assert.equal(r.stderr, '');
  });

  it('--version prints the package version on one line, exit 0', async () => {
    const version = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    const r = await box.run(['--version']);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, `${version}\n`);
  });

  it("--log-level Debug is a usage error naming the value and the choices, exit 2; DEBUG is accepted", async () => {
    const r = await box.run(['--log-level', 'Debug', 'whatever.ini']);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /'Debug'/);
    assert.match(r.stderr, /critical, error, warning, info, debug, CRITICAL/);
    const upper = await box.run(['--log-level', 'DEBUG', 'missing.ini']);
    assert.equal(upper.code, 1, 'DEBUG passes argument parsing and fails later on the missing file');
  });

  it('an unknown option is a usage error on stderr, exit 2', async () => {
    const r = await box.run(['--fd', '3', 'c.ini']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^usage: circusd /);
    assert.match(r.stderr, /unknown option '--fd'/);
  });

  it('a missing config file is one clear line on stderr, exit 1, no stack trace', async () => {
    const r = await box.run(['no-such.ini']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, "circusd: the configuration file 'no-such.ini' does not exist\n");
    assert.equal(r.stdout, '');
  });

  it('--print-config prints only the JSON on stdout, every warning on stderr, exit 0', async () => {
    const file = path.join(FIXTURES, 'print.ini');
    const r = await box.run(['--print-config', file]);
    assert.equal(r.code, 0, r.stderr);
    const config = JSON.parse(r.stdout) as Record<string, unknown> & { watchers: Array<{ name: string; numprocesses: number }> };
    assert.equal(config.check_delay, 2.5);
    assert.equal(config.loglevel, 'debug');
    assert.deepEqual(config.watchers.map((w) => [w.name, w.numprocesses]), [['lonely', 1], ['web', 3]]);
    assert.match(r.stdout, /"check_delay": 2\.5,/);
    assert.match(r.stderr, /include pattern 'no-such-dir\/\*\.ini'/, 'loader warning');
    assert.match(r.stderr, /Failed to create watcher 'lonely'/, 'construction warning');
    assert.doesNotMatch(r.stderr, STACK_FRAME);
  });

  it('a broken config names every problem, exits non-zero, no stack trace (with and without --print-config)', async () => {
    const file = path.join(FIXTURES, 'broken.ini');
    for (const args of [['--print-config', file], [file]]) {
      const r = await box.run(args);
      assert.equal(r.code, 1);
      assert.equal(r.stdout, '');
      for (const expected of [/:12: \[watcher:b\] .*neither a section header nor an option/, /:3: \[circus\] check_delay: invalid number 'soon'/, /:7: \[watcher:a\] numprocesses: invalid integer 'many'/, /:11: \[watcher:b\] graceful_timeout: invalid number 'later'/]) {
        assert.match(r.stderr, expected);
      }
      assert.doesNotMatch(r.stderr, STACK_FRAME);
    }
  });

  it('a logger config with an unknown extension is a clear error, exit 1', async () => {
    const config = box.writeConfig('c.ini', '[circus]\nendpoint = ipc://{dir}/c.sock\npubsub_endpoint = ipc://{dir}/p.sock\n');
    fs.writeFileSync(path.join(box.dir, 'log.conf'), 'x');
    const r = await box.run(['--logger-config', 'log.conf', config]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^circusd: logger configuration file '.*log\.conf' is not in a recognized format/);
    assert.doesNotMatch(r.stderr, STACK_FRAME);
  });
});
