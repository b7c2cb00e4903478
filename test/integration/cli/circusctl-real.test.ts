/**
 * The built circusctl (build/cli/circusctl.js) run as a child process
 * against the built circusd (a real daemon with real `sleep` and node
 * worker processes), over ipc and over tcp; then `--ssh` through a real
 * OpenSSH server on loopback. stdout, stderr and exit status are asserted
 * exactly; pids, times and sizes by pattern.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { CtlRunner, type CtlOptions, type CtlResult } from './circusctl-runner';
import { ROOT, Sandbox, alive, waitFor, type CircusdRun } from './circusd-harness';
import { SshServer, freePort, sshAvailable } from './ssh-harness';

const USER = os.userInfo().username;
/** Generous: waiting commands on a loaded 2-core machine; a hang still fails the test. */
const TIMEOUT = ['--timeout', '20'];

const ctls = new CtlRunner(40000);
const ctl = (args: readonly string[], opts: CtlOptions = {}): Promise<CtlResult> => ctls.run(args, opts);

/** Pids of every process whose working directory is `dir` (circusd and all it spawned run there). */
function processesIn(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readlinkSync(`/proc/${entry}/cwd`) === dir && alive(Number(entry))) pids.push(Number(entry));
    } catch {
      // Exited while we looked, or not ours to read.
    }
  }
  return pids;
}

async function portIsFree(port: number): Promise<boolean> {
  const server = net.createServer();
  const ok = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => resolve(true));
  });
  if (ok) await new Promise<void>((resolve) => server.close(() => resolve()));
  return ok;
}

/** Two watchers: `Beta` (2 sleeps; Circus lower-cases it in `list`) and `web` (1 node worker); stats_endpoint turns statsd on, so the `circusd-stats` facade is listed too. */
function daemonConfig(endpoint: string, betaCount = 2, extra = ''): string {
  return `[circus]
check_delay = 1
endpoint = ${endpoint}
pubsub_endpoint = ipc://{dir}/pub.sock
stats_endpoint = ipc://{dir}/stats.sock

[watcher:Beta]
cmd = sleep 300
numprocesses = ${betaCount}
graceful_timeout = 1

[watcher:web]
cmd = {node} {worker} {dir}
numprocesses = 1
graceful_timeout = 1
${extra}`;
}

/** One circusd for one test. */
class Daemon {
  readonly box = new Sandbox();
  endpoint = '';
  port = 0;
  run: CircusdRun | undefined;
  configFile = '';

  async start(transport: 'ipc' | 'tcp'): Promise<void> {
    if (transport === 'tcp') {
      this.port = await freePort();
      this.endpoint = `tcp://127.0.0.1:${this.port}`;
    } else {
      this.endpoint = `ipc://${path.join(this.box.dir, 'ctl.sock')}`;
    }
    this.configFile = this.box.writeConfig('circus.ini', daemonConfig(this.endpoint));
    this.run = this.box.start([this.configFile]);
    const run = this.run;
    // Ready when the endpoint answers and every process of both watchers runs.
    const deadline = Date.now() + 20_000;
    for (let attempt = 0; attempt < 100; attempt += 1) {
      if (run.child.exitCode !== null) throw new Error(`circusd exited ${run.child.exitCode}: ${run.stderr()}`);
      const r = await ctl(['--endpoint', this.endpoint, '--timeout', '2', 'list', 'Beta']);
      if (r.code === 0 && r.stdout.split(',').length === 2 && this.box.workerPids().length === 1) return;
      if (Date.now() > deadline) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error(`circusd did not get ready on ${this.endpoint}: ${run.stderr()}`);
  }

  /** circusctl against this daemon. */
  ctl(args: readonly string[], opts: { env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<CtlResult> {
    return ctl(['--endpoint', this.endpoint, ...TIMEOUT, ...args], opts);
  }

  /** The pids `list <name>` prints. */
  async pids(name: string): Promise<number[]> {
    const r = await this.ctl(['list', name]);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout.trim() === '' ? [] : r.stdout.trim().split(',').map(Number);
  }

  /** Polls `list <name>` until `ok` holds for its pids (bounded). */
  async pidsUntil(name: string, what: string, ok: (pids: number[]) => boolean): Promise<number[]> {
    const deadline = Date.now() + 15_000;
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const pids = await this.pids(name);
      if (ok(pids)) return pids;
      if (Date.now() > deadline) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  /** Kills circusd and everything that runs in its sandbox, then checks nothing is left. */
  async cleanup(): Promise<void> {
    const dir = this.box.dir;
    // Freeze circusd first so it cannot respawn what we kill; then everything
    // in the sandbox (circusd included) is tracked and killed by the Sandbox.
    if (this.run && this.run.child.exitCode === null && this.run.child.signalCode === null) this.run.child.kill('SIGSTOP');
    for (const pid of processesIn(dir)) this.box.track(pid);
    for (const pid of processesIn(dir)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // It exited between the scan and the kill.
      }
    }
    await this.box.cleanup();
    assert.deepEqual(processesIn(dir), [], 'no process left in the sandbox');
    if (this.port !== 0) {
      const port = this.port;
      const deadline = Date.now() + 5000;
      while (!(await portIsFree(port))) {
        if (Date.now() > deadline) throw new Error(`port ${port} still bound after cleanup`);
        await new Promise((res) => setTimeout(res, 50));
      }
    }
  }
}

async function killCtls(): Promise<void> {
  await ctls.killAll();
}

const STATS_LINE = (pid: number, cmd: string): RegExp =>
  new RegExp(`^${pid}: ${pid}  ${cmd} ${USER} -?\\d+ \\S+ \\S+ \\d+(\\.\\d+)? \\d+(\\.\\d+)? \\d+:\\d\\d\\.\\d+$`);

/** The reply JSON with `time` and `id` replaced, so it can be compared exactly. */
function normalized(stdout: string): string {
  return stdout
    .replace(/"time": \d+\.\d+/g, '"time": T')
    .replace(/"id": "[0-9a-f]{32}"/g, '"id": "ID"');
}

for (const transport of ['ipc', 'tcp'] as const) {
  describe(`circusctl (built) against the real circusd over ${transport}`, function () {
    this.timeout(120_000);
    let d: Daemon;

    beforeEach(async () => {
      d = new Daemon();
      await d.start(transport);
    });

    afterEach(async () => {
      await killCtls();
      await d.cleanup();
    });

    it('list, status, numwatchers, numprocesses, options, get, globaloptions print as Circus does', async () => {
      const beta = await d.pids('Beta');
      const web = d.box.workerPids();
      assert.deepEqual(await d.ctl(['list']), { code: 0, stdout: 'beta,circusd-stats,web\n', stderr: '' });
      assert.deepEqual(await d.ctl(['list', 'beta']), { code: 0, stdout: `${beta.join(',')}\n`, stderr: '' });
      assert.deepEqual(await d.ctl(['list', 'web']), { code: 0, stdout: `${web.join(',')}\n`, stderr: '' });
      assert.deepEqual(await d.ctl(['status']), { code: 0, stdout: 'Beta: active\ncircusd-stats: active\nweb: active\n', stderr: '' });
      assert.deepEqual(await d.ctl(['status', 'web']), { code: 0, stdout: 'active\n', stderr: '' });
      assert.deepEqual(await d.ctl(['numwatchers']), { code: 0, stdout: '3\n', stderr: '' });
      assert.deepEqual(await d.ctl(['numprocesses']), { code: 0, stdout: '4\n', stderr: '' });
      assert.deepEqual(await d.ctl(['numprocesses', 'Beta']), { code: 0, stdout: '2\n', stderr: '' });
      assert.deepEqual(await d.ctl(['options', 'Beta']), {
        code: 0,
        stdout: [
          '__name__: watcher:Beta', 'args: ', 'close_child_stderr: False', 'close_child_stdin: True',
          'close_child_stdout: False', 'cmd: sleep 300', 'copy_env: False', 'env: ', 'executable: ', 'gid: ',
          'graceful_timeout: 1.0', 'max_age: 0', 'max_age_variance: 30', 'max_retry: 5', 'numprocesses: 2',
          'on_demand: False', 'priority: 0', 'respawn: True', 'send_hup: False', 'shell: False', 'shell_args: ',
          'singleton: False', 'stderr_stream_conf: {}', 'stdout_stream_conf: {}', 'stop_children: False',
          'stop_signal: 15', 'uid: ', 'use_sockets: False', 'warmup_delay: 0', `working_dir: ${d.box.dir}`, '',
        ].join('\n'),
        stderr: '',
      });
      assert.deepEqual(await d.ctl(['get', 'web', 'numprocesses', 'graceful_timeout', 'cmd']), {
        code: 0,
        stdout: `numprocesses: 1\ngraceful_timeout: 1.0\ncmd: ${process.execPath} ${path.join(ROOT, 'test', 'fixtures', 'cli', 'worker.js')} ${d.box.dir}\n`,
        stderr: '',
      });
      assert.deepEqual(await d.ctl(['globaloptions']), {
        code: 0,
        stdout:
          `endpoint: ${d.endpoint}\nstats_endpoint: ipc://${d.box.dir}/stats.sock\n` +
          `pubsub_endpoint: ipc://${d.box.dir}/pub.sock\ncheck_delay: 1.0\nmulticast_endpoint: \n`,
        stderr: '',
      });
      assert.deepEqual(await d.ctl(['globaloptions', 'check_delay']), { code: 0, stdout: 'check_delay: 1.0\n', stderr: '' });
    });

    it('stats <w> and dstats print the process lines', async () => {
      const beta = await d.pids('Beta');
      const stats = await d.ctl(['stats', 'Beta']);
      assert.equal(stats.code, 0, stats.stderr);
      assert.equal(stats.stderr, '');
      const lines = stats.stdout.split('\n');
      assert.equal(lines.length, 4, stats.stdout);
      assert.equal(lines[0], 'Beta:');
      assert.equal(lines[3], '');
      const shown = lines.slice(1, 3).map((l) => Number(l.split(':')[0])).sort((a, b) => a - b);
      assert.deepEqual(shown, [...beta].sort((a, b) => a - b));
      for (const line of lines.slice(1, 3)) assert.match(line, STATS_LINE(Number(line.split(':')[0]), 'sleep'));
      const dstats = await d.ctl(['dstats']);
      assert.equal(dstats.code, 0, dstats.stderr);
      assert.equal(dstats.stderr, '');
      const pid = (d.run as CircusdRun).pid;
      assert.match(
        dstats.stdout,
        new RegExp(`^Main Process:\\n {4}${pid}  \\S+ ${USER} -?\\d+ \\S+ \\S+ \\d+(\\.\\d+)? \\d+(\\.\\d+)? \\d+:\\d\\d\\.\\d+\\n$`),
      );
    });

    it('incr, decr, set numprocesses, signal and kill change the processes', async () => {
      assert.deepEqual(await d.ctl(['incr', 'Beta', '--waiting']), { code: 0, stdout: '3\n', stderr: '' });
      assert.equal((await d.pids('Beta')).length, 3);
      assert.deepEqual(await d.ctl(['decr', 'Beta', '2', '--waiting']), { code: 0, stdout: '1\n', stderr: '' });
      assert.equal((await d.pids('Beta')).length, 1);
      assert.deepEqual(await d.ctl(['incr', 'Beta']), { code: 0, stdout: 'ok\n', stderr: '' });
      await d.pidsUntil('Beta', 'two Beta processes after incr', (p) => p.length === 2);
      assert.deepEqual(await d.ctl(['set', 'Beta', 'numprocesses', '3', '--waiting']), { code: 0, stdout: 'ok\n', stderr: '' });
      assert.deepEqual(await d.ctl(['numprocesses', 'Beta']), { code: 0, stdout: '3\n', stderr: '' });
      const three = await d.pidsUntil('Beta', 'three Beta processes after set', (p) => p.length === 3);

      // sleep dies of SIGHUP; the watcher replaces it.
      const [hupped] = three;
      assert.deepEqual(await d.ctl(['signal', 'Beta', String(hupped), 'hup']), { code: 0, stdout: 'ok\n', stderr: '' });
      await waitFor(`pid ${hupped} to die of SIGHUP`, () => !alive(hupped), 10_000);
      await d.pidsUntil('Beta', 'the signalled process replaced', (p) => p.length === 3 && !p.includes(hupped));

      const [victim] = await d.pids('web');
      assert.deepEqual(await d.ctl(['kill', 'web', String(victim), '--signum', 'term']), { code: 0, stdout: 'ok\n', stderr: '' });
      await waitFor(`pid ${victim} to die`, () => !alive(victim), 10_000);
      await d.pidsUntil('web', 'the killed worker replaced', (p) => p.length === 1 && p[0] !== victim);
    });

    it('add --start then rm; stop, start, restart --waiting; reload; reloadconfig', async () => {
      assert.deepEqual(await d.ctl(['add', '--start', 'extra', 'sleep', '200']), { code: 0, stdout: 'ok\n', stderr: '' });
      assert.deepEqual(await d.ctl(['list']), { code: 0, stdout: 'beta,circusd-stats,extra,web\n', stderr: '' });
      const [extra] = await d.pidsUntil('extra', 'the added watcher to run', (p) => p.length === 1);
      assert.deepEqual(await d.ctl(['status', 'extra']), { code: 0, stdout: 'active\n', stderr: '' });
      assert.deepEqual(await d.ctl(['rm', 'extra']), { code: 0, stdout: 'ok\n', stderr: '' });
      assert.deepEqual(await d.ctl(['list']), { code: 0, stdout: 'beta,circusd-stats,web\n', stderr: '' });
      await waitFor('the removed watcher to stop its process', () => !alive(extra), 10_000);

      const before = await d.pids('Beta');
      assert.deepEqual(await d.ctl(['stop', 'Beta', '--waiting']), { code: 0, stdout: 'ok\n', stderr: '' });
      assert.deepEqual(await d.ctl(['status', 'Beta']), { code: 0, stdout: 'stopped\n', stderr: '' });
      assert.deepEqual(await d.ctl(['list', 'Beta']), { code: 0, stdout: '\n', stderr: '' });
      for (const pid of before) await waitFor(`stopped pid ${pid} to be gone`, () => !alive(pid), 5000);
      assert.deepEqual(await d.ctl(['start', 'Beta', '--waiting']), { code: 0, stdout: 'ok\n', stderr: '' });
      assert.deepEqual(await d.ctl(['status', 'Beta']), { code: 0, stdout: 'active\n', stderr: '' });
      const started = await d.pids('Beta');
      assert.equal(started.length, 2);
      assert.deepEqual(await d.ctl(['restart', 'Beta', '--waiting']), { code: 0, stdout: 'ok\n', stderr: '' });
      const restarted = await d.pids('Beta');
      assert.equal(restarted.length, 2);
      assert.ok(restarted.every((p) => !started.includes(p)), `new pids after restart: ${started} -> ${restarted}`);

      assert.deepEqual(await d.ctl(['stop', '--waiting']), { code: 0, stdout: 'ok\n', stderr: '' });
      assert.deepEqual(await d.ctl(['status']), { code: 0, stdout: 'Beta: stopped\ncircusd-stats: stopped\nweb: stopped\n', stderr: '' });
      assert.deepEqual(d.box.workerPids(), [], 'the worker removed its pid file on SIGTERM');
      assert.deepEqual(await d.ctl(['start', '--waiting']), { code: 0, stdout: 'ok\n', stderr: '' });
      assert.deepEqual(await d.ctl(['status']), { code: 0, stdout: 'Beta: active\ncircusd-stats: active\nweb: active\n', stderr: '' });
      assert.deepEqual(await d.ctl(['restart', '--waiting']), { code: 0, stdout: 'ok\n', stderr: '' });
      assert.deepEqual(await d.ctl(['status']), { code: 0, stdout: 'Beta: active\ncircusd-stats: active\nweb: active\n', stderr: '' });

      const preReload = await d.pids('Beta');
      assert.deepEqual(await d.ctl(['reload', 'Beta', '--waiting']), { code: 0, stdout: 'ok\n', stderr: '' });
      await d.pidsUntil('Beta', 'a fresh set of Beta processes after reload', (p) => p.length === 2 && p.every((x) => !preReload.includes(x)));
      assert.deepEqual(await d.ctl(['reload']), { code: 0, stdout: 'ok\n', stderr: '' });

      // reloadconfig re-reads the file: Beta resized, a new watcher created and started.
      d.box.writeConfig('circus.ini', daemonConfig(d.endpoint, 3, '\n[watcher:late]\ncmd = sleep 250\n'));
      assert.deepEqual(await d.ctl(['reloadconfig', '--waiting']), { code: 0, stdout: 'ok\n', stderr: '' });
      assert.deepEqual(await d.ctl(['list']), { code: 0, stdout: 'beta,circusd-stats,late,web\n', stderr: '' });
      assert.deepEqual(await d.ctl(['numprocesses', 'Beta']), { code: 0, stdout: '3\n', stderr: '' });
      await d.pidsUntil('Beta', 'three Beta processes after reloadconfig', (p) => p.length === 3);
      await d.pidsUntil('late', 'the new watcher to run', (p) => p.length === 1);
      d.box.writeConfig('circus.ini', daemonConfig(d.endpoint));
      assert.deepEqual(await d.ctl(['reloadconfig']), { code: 0, stdout: 'ok\n', stderr: '' });
      const deadline = Date.now() + 15_000;
      for (;;) {
        const r = await d.ctl(['list']);
        if (r.stdout === 'beta,circusd-stats,web\n') break;
        if (Date.now() > deadline) assert.fail(`late was not removed: ${r.stdout}`);
        await new Promise((res) => setTimeout(res, 100));
      }
    });

    it('error replies: exit 3 with the reason on stderr; --json prints the exact reply', async () => {
      assert.deepEqual(await d.ctl(['status', 'nope']), { code: 3, stdout: '', stderr: 'error\n' });
      assert.deepEqual(await d.ctl(['incr', 'nope']), { code: 3, stdout: '', stderr: 'error: program nope not found\n' });
      assert.deepEqual(await d.ctl(['list', 'nope']), { code: 3, stdout: '', stderr: 'error: program nope not found\n' });
      assert.deepEqual(await d.ctl(['options']), { code: 1, stdout: '', stderr: 'number of arguments invalid\n' });

      const beta = await d.pids('Beta');
      const json = async (args: string[]): Promise<string> => {
        const r = await d.ctl(['--json', ...args]);
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stderr, '');
        return normalized(r.stdout);
      };
      assert.equal(await json(['status', 'Beta']), '{"status": "active", "time": T, "id": "ID"}\n');
      assert.equal(await json(['list']), '{"status": "ok", "time": T, "watchers": ["beta", "circusd-stats", "web"], "id": "ID"}\n');
      assert.equal(await json(['list', 'Beta']), `{"status": "ok", "time": T, "pids": [${beta.join(', ')}], "id": "ID"}\n`);
      assert.equal(await json(['numwatchers']), '{"status": "ok", "time": T, "numwatchers": 3, "id": "ID"}\n');
      assert.equal(await json(['incr', 'Beta', '--waiting']), '{"status": "ok", "time": T, "numprocesses": 3, "id": "ID"}\n');
      assert.equal(
        await json(['incr', 'nope']),
        '{"status": "error", "reason": "program nope not found", "tb": null, "time": T, "errno": 3, "id": "ID"}\n',
      );
      assert.equal(
        await json(['globaloptions']),
        `{"status": "ok", "time": T, "options": {"endpoint": "${d.endpoint}", "stats_endpoint": "ipc://${d.box.dir}/stats.sock", ` +
          `"pubsub_endpoint": "ipc://${d.box.dir}/pub.sock", "check_delay": 1.0, "multicast_endpoint": ""}, "id": "ID"}\n`,
      );
      const stats = await json(['stats', 'web']);
      const [w] = d.box.workerPids();
      assert.match(
        stats,
        new RegExp(
          `^\\{"status": "ok", "time": T, "name": "web", "info": \\{"${w}": \\{"mem_info1": "\\S+", "mem_info2": "\\S+", ` +
            `"cpu": \\d+\\.\\d+, "mem": \\d+\\.\\d+, "ctime": "\\d+:\\d\\d\\.\\d+", "pid": ${w}, "username": "${USER}", "nice": -?\\d+, ` +
            `"create_time": \\d+\\.\\d+, "age": \\d+\\.\\d+, "cmdline": "node", "children": \\[\\], "started": \\d+\\.\\d+, "wid": \\d+\\}\\}, "id": "ID"\\}\\n$`,
        ),
      );
    });

    it('the shell on stdin follows the transcript of spec 3.4; quit stops circusd with status 0', async () => {
      assert.deepEqual(await d.ctl([], { input: 'list\nstatus nope\nfoo bar\nEOF\n' }), {
        code: 0,
        stdout: 'circusctl 0.19.0\nBeta: active\ncircusd-stats: active\nweb: active\n(circusctl) beta,circusd-stats,web\n(circusctl) (circusctl) *** Unknown syntax: foo bar\n(circusctl) \n',
        stderr: 'error\n',
      });
      const beta = await d.pids('Beta');
      const shell = await d.ctl([], { input: 'incr Beta --waiting\nnumprocesses Beta\n\n' });
      assert.deepEqual(shell, {
        code: 0,
        stdout: 'circusctl 0.19.0\nBeta: active\ncircusd-stats: active\nweb: active\n(circusctl) 3\n(circusctl) 3\n(circusctl) 3\n(circusctl) \n',
        stderr: '',
      });
      const all = [...beta, ...d.box.workerPids(), ...(await d.pids('Beta'))];
      assert.deepEqual(await d.ctl(['quit']), { code: 0, stdout: 'ok\n', stderr: '' });
      const status = await (d.run as CircusdRun).exited;
      assert.deepEqual(status, { code: 0, signal: null }, (d.run as CircusdRun).stderr());
      for (const pid of all) await waitFor(`pid ${pid} to be stopped by quit`, () => !alive(pid), 5000);
      if (transport === 'ipc') assert.equal(fs.existsSync(path.join(d.box.dir, 'ctl.sock')), false);
    });
  });
}

describe('circusctl --ssh through a real sshd on loopback', function () {
  this.timeout(120_000);
  let d: Daemon | undefined;
  let sshd: SshServer | undefined;

  before(function () {
    // CI installs openssh-server (.ci/run): there a missing sshd is a failure, not a skip.
    if (!sshAvailable() && !process.env.CI) this.skip();
  });

  beforeEach(async () => {
    assert.ok(sshAvailable(), 'sshd, ssh and ssh-keygen must be installed (apt-get install openssh-server openssh-client)');
    d = new Daemon();
    await d.start('tcp');
    sshd = new SshServer();
    await sshd.start();
  });

  afterEach(async () => {
    await killCtls();
    await sshd?.stop();
    sshd = undefined;
    await d?.cleanup();
    d = undefined;
  });

  const via = (server: SshServer, key: string, daemon: Daemon, args: string[], input?: string): Promise<CtlResult> =>
    ctl(['--ssh', `${server.user}@127.0.0.1:${server.port}`, '--ssh_keyfile', key, '--endpoint', daemon.endpoint, ...TIMEOUT, ...args], {
      env: { CIRCUSCTL_SSH_OPTIONS: server.clientOptions() },
      input,
    });

  it('list and status go through the tunnel; ssh is stopped when circusctl exits', async () => {
    const server = sshd as SshServer;
    const daemon = d as Daemon;
    assert.deepEqual(await via(server, server.clientKey, daemon, ['list']), { code: 0, stdout: 'beta,circusd-stats,web\n', stderr: '' }, server.stderr());
    assert.match(server.stderr(), new RegExp(`Accepted publickey for ${server.user} from 127\\.0\\.0\\.1`));
    assert.deepEqual(await via(server, server.clientKey, daemon, ['status', 'Beta']), { code: 0, stdout: 'active\n', stderr: '' });
    assert.deepEqual(await via(server, server.clientKey, daemon, [], 'list\nnumwatchers\nEOF\n'), {
      code: 0,
      stdout: 'circusctl 0.19.0\nBeta: active\ncircusd-stats: active\nweb: active\n(circusctl) beta,circusd-stats,web\n(circusctl) 3\n(circusctl) \n',
      stderr: '',
    });
    assert.ok(fs.existsSync(server.knownHosts), 'the host key went to the temp known_hosts');
    // Only the listening sshd is left: circusctl stopped its ssh client, so the session ended.
    await waitFor('the ssh sessions to end', () => server.processes().length === 1, 10_000);
  });

  it('a key the server refuses gives a clear error and exit 1', async () => {
    const server = sshd as SshServer;
    const daemon = d as Daemon;
    const r = await via(server, server.wrongKey, daemon, ['list']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    const at = `${server.user}@127.0.0.1:${server.port}`.replace(/\./g, '\\.');
    assert.match(r.stderr, new RegExp(`^circusctl: the ssh tunnel through ${at} failed: ssh exited with status 255: .*Permission denied \\(publickey\\)\\.\\n$`));
    await waitFor('no ssh session left', () => server.processes().length === 1, 10_000);
  });

  it('an sshd that is not there gives a clear error and exit 1', async () => {
    const server = sshd as SshServer;
    const daemon = d as Daemon;
    const closed = await freePort();
    const r = await ctl(['--ssh', `${server.user}@127.0.0.1:${closed}`, '--ssh_keyfile', server.clientKey, '--endpoint', daemon.endpoint, 'list'], {
      env: { CIRCUSCTL_SSH_OPTIONS: server.clientOptions() },
    });
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, new RegExp(`^circusctl: the ssh tunnel through ${server.user}@127\\.0\\.0\\.1:${closed} failed: ssh exited with status 255: .*Connection refused\\n$`));
  });
});
