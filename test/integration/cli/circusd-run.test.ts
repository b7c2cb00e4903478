import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT, Sandbox, alive, waitFor, workerConfig } from './circusd-harness';

function read(file: string): string {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
}

describe('circusd running watchers (integration, spec/daemon.md 7.1-7.6)', function () {
  this.timeout(30_000);
  let box: Sandbox;

  beforeEach(() => {
    box = new Sandbox();
  });

  afterEach(async () => {
    await box.cleanup();
  });

  it('--pidfile and --log-output: pid + newline, mode 0644, umask passed on; SIGTERM stops every child, removes the pidfile, exit 0', async () => {
    const config = box.writeConfig('c.ini', workerConfig(2, 'umask = 027'));
    const pidfile = path.join(box.dir, 'circusd.pid');
    const log = path.join(box.dir, 'circusd.log');
    const run = box.start(['--pidfile', pidfile, '--log-output', log, config]);
    const workers = await waitFor('two workers', () => (box.workerPids().length === 2 ? box.workerPids() : undefined));
    await waitFor('the ready log line', () => read(log).includes('[INFO] Arbiter now waiting for commands'));
    assert.equal(fs.readFileSync(pidfile, 'utf8'), `${run.pid}\n`);
    assert.equal(fs.statSync(pidfile).mode & 0o777, 0o644, 'pidfile mode is 0644 despite umask 027');
    const workerFile = path.join(box.dir, `worker-${workers[0]}.pid`);
    assert.equal(fs.statSync(workerFile).mode & 0o777, 0o640, 'children inherit umask 027');
    assert.match(read(log), new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d circus\\[${run.pid}\\] \\[INFO\\] Registering signals\\.\\.\\.$`, 'm'));
    for (const pid of workers) {
      const targets = fs.readdirSync(`/proc/${pid}/fd`).map((fd) => {
        try {
          return fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
        } catch {
          return '';
        }
      });
      assert.ok(!targets.includes(log), `worker ${pid} did not inherit the log file (close-on-exec)`);
      assert.ok(!targets.includes(pidfile));
    }

    run.child.kill('SIGTERM');
    const status = await run.exited;
    assert.deepEqual(status, { code: 0, signal: null });
    assert.ok(!fs.existsSync(pidfile), 'pidfile removed');
    for (const pid of workers) assert.equal(alive(pid), false, `worker ${pid} is gone`);
    const text = read(log);
    assert.ok(text.indexOf('Got signal SIG_TERM') < text.indexOf('Arbiter exiting'), text);
    assert.match(text, /\[INFO\] workers stopped/);
  });

  it('logs to stderr by default (quirk Q37), nothing on stdout', async () => {
    const config = box.writeConfig('c.ini', workerConfig(1));
    const run = box.start([config]);
    await waitFor('the ready line on stderr', () => run.stderr().includes('[INFO] Arbiter now waiting for commands'));
    run.child.kill('SIGINT');
    assert.deepEqual(await run.exited, { code: 0, signal: null });
    assert.match(run.stderr(), /circus\[\d+\] \[INFO\] Got signal SIG_INT/);
    assert.equal(run.stdout(), '');
  });

  it('SIGUSR1 and SIGUSR2 are logged and ignored: circusd keeps its workers and opens no debugger', async () => {
    const config = box.writeConfig('c.ini', workerConfig(1));
    const run = box.start([config]);
    const workers = await waitFor('one worker', () => (box.workerPids().length === 1 ? box.workerPids() : undefined));
    run.child.kill('SIGUSR1');
    run.child.kill('SIGUSR2');
    await waitFor('both signals logged', () => run.stderr().includes('Got signal SIG_USR1') && run.stderr().includes('Got signal SIG_USR2'));
    assert.doesNotMatch(run.stderr(), /Debugger listening/);
    assert.equal(alive(run.pid), true, 'circusd still runs');
    assert.deepEqual(box.workerPids(), workers, 'the worker was left alone');
    run.child.kill('SIGTERM');
    assert.deepEqual(await run.exited, { code: 0, signal: null });
  });

  it('SIGHUP reloads: every worker pid replaced, the config file is not re-read (Q33); SIGQUIT quits', async () => {
    const config = box.writeConfig('c.ini', workerConfig(2));
    const log = path.join(box.dir, 'c.log');
    const run = box.start(['--log-output', log, config]);
    const before = await waitFor('two workers', () => (box.workerPids().length === 2 ? box.workerPids() : undefined));
    await waitFor('the ready log line', () => read(log).includes('Arbiter now waiting for commands'));
    box.writeConfig('c.ini', workerConfig(3));
    run.child.kill('SIGHUP');
    const after = await waitFor('the workers to be replaced', () => {
      const now = box.workerPids();
      return now.length === 2 && now.every((p) => !before.includes(p)) && before.every((p) => !alive(p)) ? now : undefined;
    });
    assert.equal(after.length, 2, 'numprocesses = 3 in the edited file is not applied');
    assert.match(read(log), /\[INFO\] Got signal SIG_HUP/);
    run.child.kill('SIGQUIT');
    assert.deepEqual(await run.exited, { code: 0, signal: null });
    assert.match(read(log), /Got signal SIG_QUIT/);
    for (const pid of after) assert.equal(alive(pid), false);
  });

  it('a pidfile holding a live foreign pid: the stale message on stdout, exit 1, file untouched, no watcher started', async () => {
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    box.track(other.pid as number);
    const pidfile = path.join(box.dir, 'c.pid');
    fs.writeFileSync(pidfile, `${other.pid}\n`);
    const config = box.writeConfig('c.ini', workerConfig(1));
    const run = box.start(['--pidfile', pidfile, config]);
    const status = await run.exited;
    assert.equal(status.code, 1);
    assert.equal(run.stdout(), `pid file '${pidfile}' is stale, current pid ${run.pid}\n`);
    assert.match(run.stderr(), /\[INFO\] Registering signals\.\.\./);
    assert.doesNotMatch(run.stderr(), /Starting master/);
    assert.equal(fs.readFileSync(pidfile, 'utf8'), `${other.pid}\n`);
    assert.deepEqual(box.workerPids(), []);
  });

  it('a pidfile with garbage is overwritten; [circus] pidfile/logoutput/loglevel are used, --log-level overrides', async () => {
    const pidfile = path.join(box.dir, 'from-config.pid');
    fs.writeFileSync(pidfile, 'garbage');
    const log = path.join(box.dir, 'from-config.log');
    const config = box.writeConfig('c.ini', workerConfig(1, `pidfile = ${pidfile}\nlogoutput = ${log}\nloglevel = error`));
    const run = box.start(['--log-level', 'INFO', config]);
    await waitFor('the ready line in the config log output', () => read(log).includes('[INFO] Arbiter now waiting for commands'));
    assert.equal(fs.readFileSync(pidfile, 'utf8'), `${run.pid}\n`);
    run.child.kill('SIGTERM');
    assert.equal((await run.exited).code, 0);
    assert.ok(!fs.existsSync(pidfile));
  });

  for (const kind of ['yaml', 'json', 'ini'] as const) {
    it(`--logger-config ${kind}: the handler file receives "[INFO] Arbiter now waiting for commands"`, async () => {
      const out = path.join(box.dir, 'logoutput.txt');
      const fmt = '%(asctime)s - %(name)s - [%(levelname)s] %(message)s';
      const text =
        kind === 'yaml'
          ? `version: 1\nformatters:\n  simple:\n    format: '${fmt}'\nhandlers:\n  logfile:\n    class: logging.FileHandler\n    filename: ${out}\n    level: DEBUG\n    formatter: simple\nloggers:\n  circus:\n    level: DEBUG\n    handlers: [logfile]\n    propagate: no\nroot:\n  level: DEBUG\n  handlers: [logfile]\n`
          : kind === 'json'
            ? JSON.stringify({ version: 1, formatters: { simple: { format: fmt } }, handlers: { logfile: { class: 'logging.FileHandler', filename: out, formatter: 'simple' } }, loggers: { circus: { level: 'DEBUG', handlers: ['logfile'], propagate: false } } })
            : `[loggers]\nkeys=root,circus\n[handlers]\nkeys=logfile\n[formatters]\nkeys=simple\n[logger_root]\nlevel=DEBUG\nhandlers=logfile\n[logger_circus]\nlevel=DEBUG\nhandlers=logfile\npropagate=0\nqualname=circus\n[handler_logfile]\nclass=FileHandler\nlevel=DEBUG\nformatter=simple\nargs=('${out}', 'a')\n[formatter_simple]\nformat=${fmt}\n`;
      fs.writeFileSync(path.join(box.dir, `logging.${kind}`), text);
      // The ini variant goes through [circus] loggerconfig, the others through the flag.
      const config = box.writeConfig('c.ini', workerConfig(1, kind === 'ini' ? `loggerconfig = ${path.join(box.dir, 'logging.ini')}` : ''));
      const args = kind === 'ini' ? [config] : ['--logger-config', `logging.${kind}`, config];
      const run = box.start(args);
      await waitFor('the ready line in the logger-config file', () => read(out).includes('[INFO] Arbiter now waiting for commands'));
      assert.match(read(out), / - circus - \[INFO\] Arbiter now waiting for commands/);
      run.child.kill('SIGTERM');
      assert.equal((await run.exited).code, 0);
    });
  }

  it('--daemon: the parent exits 0 once the daemon is up; the daemon pid is in the pidfile; SIGTERM ends it cleanly', async () => {
    const pidfile = path.join(box.dir, 'd.pid');
    const log = path.join(box.dir, 'd.log');
    const config = box.writeConfig('c.ini', workerConfig(1));
    const parent = box.start(['--daemon', '--pidfile', 'd.pid', '--log-output', 'd.log', 'c.ini']);
    const status = await parent.exited;
    assert.deepEqual(status, { code: 0, signal: null }, parent.stderr());
    assert.ok(fs.existsSync(config));
    const daemonPid = Number(fs.readFileSync(pidfile, 'utf8'));
    box.track(daemonPid);
    assert.notEqual(daemonPid, parent.pid);
    assert.ok(alive(daemonPid));
    assert.equal(fs.readFileSync(pidfile, 'utf8'), `${daemonPid}\n`);
    assert.match(read(log), new RegExp(`circus\\[${daemonPid}\\] \\[INFO\\] Arbiter now waiting for commands`));
    // A new session: the daemon leads its own process group.
    const stat = fs.readFileSync(`/proc/${daemonPid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    assert.equal(Number(fields[3]), daemonPid, 'session id is the daemon pid');
    assert.equal(fs.readlinkSync(`/proc/${daemonPid}/fd/1`), '/dev/null');
    const workers = await waitFor('the worker', () => (box.workerPids().length === 1 ? box.workerPids() : undefined));
    process.kill(daemonPid, 'SIGTERM');
    await waitFor('the daemon to exit', () => !alive(daemonPid));
    await waitFor('the pidfile to be removed', () => !fs.existsSync(pidfile));
    for (const pid of workers) assert.equal(alive(pid), false);
  });

  it('--daemon with a failing daemon (stale pidfile) relays the message and status to the parent', async () => {
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    box.track(other.pid as number);
    const pidfile = path.join(box.dir, 'd.pid');
    fs.writeFileSync(pidfile, `${other.pid}\n`);
    box.writeConfig('c.ini', workerConfig(1));
    const r = await box.run(['--daemon', '--pidfile', pidfile, '--log-output', 'd.log', 'c.ini']);
    assert.equal(r.code, 1);
    assert.match(r.stdout, new RegExp(`^pid file '${pidfile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}' is stale, current pid \\d+\\n$`));
    assert.deepEqual(box.workerPids(), []);
  });

  it('a descriptor circusd inherited without close-on-exec never reaches a worker', async () => {
    const held = fs.openSync(path.join(box.dir, 'held-by-the-caller'), 'w');
    const report = path.join(box.dir, 'fds.json');
    const reporter = path.join(ROOT, 'test/fixtures/programs/fd-report.js');
    const config = box.writeConfig(
      'c.ini',
      `[circus]\nendpoint = ipc://{dir}/ctl.sock\npubsub_endpoint = ipc://{dir}/pub.sock\n\n[watcher:r]\ncmd = {node} ${reporter} ${report} 40\n`,
    );
    // circusd gets the file at fd 40, as a shell's `exec 40>file` would give it
    // (high enough that the worker's own Node runtime does not open fd 40).
    const run = box.start([config], { extraStdio: [...Array<'ignore'>(37).fill('ignore'), held] });
    fs.closeSync(held);
    let inCircusd = '';
    let seen: { fds: Record<string, unknown> } | undefined;
    try {
      seen = await waitFor('the report', () => (fs.existsSync(report) ? (JSON.parse(read(report)) as { fds: Record<string, unknown> }) : undefined));
      inCircusd = fs.readlinkSync(`/proc/${run.pid}/fd/40`);
    } finally {
      run.child.kill('SIGTERM');
      await run.exited;
    }
    assert.equal(inCircusd, path.join(box.dir, 'held-by-the-caller'), 'circusd itself still has it');
    assert.deepEqual(seen.fds['40'], { error: 'ENOENT' });
  });
});
