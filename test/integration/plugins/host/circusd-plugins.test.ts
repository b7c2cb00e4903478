import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CircusClient } from '../../../../protocol/client';
import { ROOT, Sandbox, waitFor, type CircusdRun } from '../../cli/circusd-harness';

const RECORDER = path.join(ROOT, 'test', 'fixtures', 'plugins', 'recorder.js');
const CIRCUS_PLUGIN = path.join(ROOT, 'build', 'cli', 'circus-plugin.js');

function read(file: string): string {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
}

/** A [circus] section and one worker watcher, plus `plugins` sections; {rec} is the recorder copied next to the INI. */
function config(plugins: string): string {
  return `[circus]
check_delay = 0
endpoint = ipc://{dir}/ctl.sock
pubsub_endpoint = ipc://{dir}/pub.sock

[watcher:workers]
cmd = {node} {worker} {dir}
numprocesses = 1
graceful_timeout = 1
${plugins}`;
}

describe('plugin host through circusd: [plugin:NAME] sections, facades, reloadconfig, circus-plugin', function () {
  this.timeout(60_000);
  let box: Sandbox;
  let client: CircusClient | null = null;
  const helpers: ChildProcess[] = [];
  let daemon: CircusdRun | null = null;

  beforeEach(() => {
    box = new Sandbox();
    fs.mkdirSync(path.join(box.dir, 'lib'));
    fs.copyFileSync(RECORDER, path.join(box.dir, 'lib', 'recorder.js'));
    const pkg = path.join(box.dir, 'node_modules', 'circus-test-plugin');
    fs.mkdirSync(pkg, { recursive: true });
    fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'circus-test-plugin', main: 'index.js' }));
    fs.copyFileSync(RECORDER, path.join(pkg, 'index.js'));
  });
  afterEach(async () => {
    // A quit first: a SIGKILLed circusd would leave its workers holding its output pipes.
    if (daemon && daemon.child.exitCode === null) {
      await call('quit').catch(() => undefined);
      await Promise.race([daemon.exited, new Promise((r) => setTimeout(r, 10_000))]);
    }
    daemon = null;
    client?.close();
    client = null;
    for (const h of helpers.splice(0)) if (h.exitCode === null && h.signalCode === null) h.kill('SIGKILL');
    await box.cleanup();
  });

  async function call(command: string, props: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    client ??= new CircusClient({ endpoint: `ipc://${box.dir}/ctl.sock`, timeout: 10 });
    return client.call(command, props);
  }

  async function startDaemon(body: string): Promise<{ file: string; log: string }> {
    const file = box.writeConfig('circus.ini', body);
    daemon = box.start([file]);
    await waitFor('circusd to answer', () => fs.existsSync(path.join(box.dir, 'ctl.sock')) && box.workerPids().length === 1, 15_000);
    return { file, log: path.join(box.dir, 'rec.log') };
  }

  it('loads one plugin by a path relative to the INI file and one by npm package name, shown as watchers', async () => {
    const { log } = await startDaemon(
      config(`
[plugin:rel]
use = ./lib/recorder:plugin
file = {dir}/rec.log
count = 3

[plugin:pkg]
use = circus-test-plugin
file = {dir}/rec.log
`),
    );
    await waitFor('both plugins to start', () => /start plugin:rel 3/.test(read(log)) && /start plugin:pkg 1/.test(read(log)));
    assert.deepEqual((await call('list')).watchers, ['plugin:pkg', 'plugin:rel', 'workers']);
    assert.equal((await call('numwatchers')).numwatchers, 3);
    assert.deepEqual((await call('status')).statuses, { workers: 'active', 'plugin:pkg': 'active', 'plugin:rel': 'active' });
    assert.deepEqual((await call('list', { name: 'plugin:rel' })).pids, []);
    assert.equal((await call('numprocesses', { name: 'plugin:rel' })).numprocesses, 1);
    assert.equal((await call('stop', { name: 'plugin:rel', waiting: true })).status, 'ok');
    assert.equal((await call('status', { name: 'plugin:rel' })).status, 'stopped');
    assert.equal((await call('numprocesses', { name: 'plugin:rel' })).numprocesses, 0);
    assert.match(read(log), /stop plugin:rel\n/);
    await call('start', { name: 'plugin:rel', waiting: true });
    assert.equal((await call('status', { name: 'plugin:rel' })).status, 'active');
    assert.equal(read(log).match(/start plugin:rel/g)?.length, 2);
    await call('restart', { name: 'plugin:*', waiting: true });
    assert.equal(read(log).match(/start plugin:pkg/g)?.length, 2);
    const get = await call('get', { name: 'plugin:rel', keys: ['priority'] });
    assert.equal(get.reason, 'program plugin:rel not found', 'get/set/options are for real watchers only');
  });

  it('a bad option and a missing module are reported together; circusd exits 1 naming each plugin and key', async () => {
    const file = box.writeConfig(
      'circus.ini',
      config(`
[plugin:bad]
use = ./lib/recorder:plugin
file = {dir}/rec.log
count = many
colour = red

[plugin:gone]
use = ./lib/nowhere:plugin
`),
    );
    const r = await box.run([file]);
    assert.equal(r.code, 1);
    const text = r.stdout + r.stderr;
    assert.match(text, /\[plugin:bad\] count: invalid integer 'many'/);
    assert.match(text, /\[plugin:bad\] colour: unknown option of plugin 'recorder'/);
    assert.match(text, /\[plugin:gone\] use: cannot load plugin '\.\/lib\/nowhere:plugin': cannot find module '\.\/lib\/nowhere'/);
    assert.deepEqual(box.workerPids(), [], 'nothing started');
  });

  it('a plugin whose start throws: circusd exits 1 naming it, the plugins and watchers already started are stopped', async () => {
    const file = box.writeConfig(
      'circus.ini',
      config(`
[plugin:first]
use = ./lib/recorder:plugin
file = {dir}/rec.log
priority = 50

[plugin:broken]
use = ./lib/recorder:plugin
file = {dir}/rec.log
fail_start = true
`),
    );
    const r = await box.run([file]);
    assert.equal(r.code, 1);
    assert.match(r.stdout + r.stderr, /plugin 'plugin:broken': failed to start \(use = \.\/lib\/recorder:plugin\): recorder refused to start/);
    // stop() also runs after a failed start, to release what the start registered.
    assert.equal(read(path.join(box.dir, 'rec.log')), 'start plugin:first 1\nstop plugin:broken\nstop plugin:first\n');
    assert.deepEqual(box.workerPids(), [], 'the priority-0 watcher never started');
  });

  it('reloadconfig re-creates a changed plugin, stops a removed one, starts an added one', async () => {
    const { file, log } = await startDaemon(
      config(`
[plugin:keep]
use = ./lib/recorder:plugin
file = {dir}/rec.log

[plugin:change]
use = ./lib/recorder:plugin
file = {dir}/rec.log

[plugin:drop]
use = circus-test-plugin
file = {dir}/rec.log
`),
    );
    await waitFor('three plugins', () => (read(log).match(/^start/gm) ?? []).length === 3);
    fs.writeFileSync(log, '');
    fs.writeFileSync(
      file,
      fs.readFileSync(file, 'utf8').replace('[plugin:drop]\nuse = circus-test-plugin', '[plugin:add]\nuse = circus-test-plugin').replace(
        '[plugin:change]\nuse = ./lib/recorder:plugin\nfile = ' + box.dir + '/rec.log',
        '[plugin:change]\nuse = ./lib/recorder:plugin\nfile = ' + box.dir + '/rec.log\ncount = 7',
      ),
    );
    assert.equal((await call('reloadconfig', { waiting: true })).status, 'ok');
    const lines = read(log).trim().split('\n').sort();
    assert.deepEqual(lines, ['start plugin:add 1', 'start plugin:change 7', 'stop plugin:change', 'stop plugin:drop']);
    assert.deepEqual((await call('list')).watchers, ['plugin:add', 'plugin:change', 'plugin:keep', 'workers']);
  });

  it('circus-plugin runs the example plugin out of process: events over pub/sub, calls over the endpoint, clean stop', async () => {
    await startDaemon(config(''));
    const events = path.join(box.dir, 'events.log');
    const child = spawn(
      process.execPath,
      [
        CIRCUS_PLUGIN,
        '--endpoint', `ipc://${box.dir}/ctl.sock`,
        '--pubsub', `ipc://${box.dir}/pub.sock`,
        '--config', `name:plugin:oop:::file:${events}:::list_every:0.2:::prefix:oop`,
        './examples/plugins/inprocess-logger:plugin',
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    helpers.push(child);
    let err = '';
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    await waitFor('the plugin to list watchers', () => read(events).includes('oop watchers: workers'));
    // The SUB socket may join late: restart until an event of it has arrived (bounded).
    for (let i = 0; i < 20 && !/oop workers start /.test(read(events)); i += 1) {
      await call('restart', { name: 'workers', waiting: true });
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.match(read(events), /oop workers spawn \{"process_pid":\d+,"time":[\d.]+\}/);
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    assert.match(err, /Loading the plugin\.\.\.[\s\S]*Endpoint: 'ipc:\/\/[^']*ctl\.sock'[\s\S]*Pub\/sub: '[^']*'[\s\S]*Starting[\s\S]*Stopping/);
    assert.match(read(events), /oop plugin:oop stopped\n$/);
  });

  it('the out-of-process example (plain node + zeromq) lists watchers and receives events', async () => {
    await startDaemon(config(''));
    const child = spawn(
      process.execPath,
      [path.join(ROOT, 'examples', 'plugins', 'out-of-process', 'watch-and-list.js'), '--endpoint', `ipc://${box.dir}/ctl.sock`, '--pubsub', `ipc://${box.dir}/pub.sock`, '--count', '1'],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    helpers.push(child);
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    await waitFor('the example to list', () => out.includes('watchers: workers'));
    for (let i = 0; i < 20 && !/watcher\.workers\./.test(out); i += 1) {
      await call('restart', { name: 'workers', waiting: true });
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(await exited, 0);
    assert.match(out, /^watchers: workers\nwatcher\.workers\.\w+ \{/);
  });

  it('circus-plugin: --config parsing and exit codes', async () => {
    const run = (args: string[]): Promise<{ code: number | null; out: string; err: string }> =>
      new Promise((resolve) => {
        const c = spawn(process.execPath, [CIRCUS_PLUGIN, ...args], { cwd: box.dir });
        let out = '';
        let err = '';
        c.stdout.on('data', (d: Buffer) => (out += d.toString()));
        c.stderr.on('data', (d: Buffer) => (err += d.toString()));
        c.once('close', (code) => resolve({ code, out, err }));
      });
    assert.equal((await run(['--version'])).code, 0);
    const usage = await run([]);
    assert.equal(usage.code, 0);
    assert.match(usage.out, /^usage: circus-plugin/);
    const bad = await run(['--config', 'file:x:::count:lots:::junk', './lib/recorder:plugin']);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /\[plugin:recorder\] count: invalid integer 'lots'/);
    const missing = await run(['./lib/none:plugin']);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /cannot load plugin '\.\/lib\/none:plugin'/);
  });
});
