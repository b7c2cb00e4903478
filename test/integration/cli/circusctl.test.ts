/**
 * The built circusctl (build/cli/circusctl.js) run as a child process
 * against a fake daemon (a real zeromq ROUTER in this process answering
 * canned Circus replies and recording the exact requests), over tcp and
 * ipc: stdout, stderr and exit status byte for byte.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Publisher } from 'zeromq';
import { CtlRunner, type CtlOptions, type CtlResult, type RunningCtl } from './circusctl-runner';
import { alive, waitFor } from './circusd-harness';
import { FakeCircusd, type Received } from './fake-circusd';


const ctls = new CtlRunner(20000);
const startCtl = (args: readonly string[], opts: CtlOptions = {}): RunningCtl => ctls.start(args, opts);
const ctl = (args: readonly string[], opts: CtlOptions = {}): Promise<CtlResult> => ctls.run(args, opts);

const INFO = {
  mem_info1: '9.10M', mem_info2: '24.30M', cpu: 0.5, mem: 0.113, ctime: '0:00.03', pid: 4242, username: 'app',
  nice: 0, create_time: 1717171700.1, age: 17.25, cmdline: 'sleep', children: [], started: 1717171700.1, wid: 1,
};

/** Canned replies, as a Circus daemon would send them (float fields written as floats). */
function answer(req: Received): Record<string, unknown> | { raw: string } | undefined {
  const props = (req.json.properties ?? {}) as Record<string, unknown>;
  const id = JSON.stringify(req.json.id);
  const notFound = { status: 'error', reason: `program ${String(props.name)} not found`, tb: null, time: 1.5, errno: 3 };
  switch (req.json.command) {
    case 'list':
      return props.name === undefined ? { status: 'ok', time: 1.5, watchers: ['beta', 'web'] } : props.name === 'web' ? { status: 'ok', time: 1.5, pids: [4242, 4243] } : notFound;
    case 'status':
      if (props.name === undefined) return { status: 'ok', time: 1.5, statuses: { web: 'active', Beta: 'active' } };
      return props.name === 'web' ? { status: 'active', time: 1.5 } : notFound;
    case 'options':
      return { raw: `{"status": "ok", "time": 1.5, "options": {"__name__": "watcher:web", "args": "", "env": {"B": "2", "A": "1"}, "graceful_timeout": 30.0, "numprocesses": 2, "send_hup": false, "uid": null}, "id": ${id}}` };
    case 'stats':
      return { status: 'ok', time: 1.5, name: props.name, info: { '4242': INFO } };
    case 'dstats':
      return { raw: `{"status": "ok", "time": 1.5, "info": {"mem_info1": "21.45M", "mem_info2": "301.12M", "cpu": 0.0, "mem": 0.27, "ctime": "0:00.41", "pid": 4100, "username": "app", "nice": 0, "create_time": 1717170000.5, "age": 1717.2, "cmdline": "node", "children": []}, "id": ${id}}` };
    case 'globaloptions':
      return { raw: `{"status": "ok", "time": 1.5, "options": {"endpoint": "tcp://127.0.0.1:5555", "stats_endpoint": "tcp://127.0.0.1:5557", "pubsub_endpoint": "tcp://127.0.0.1:5556", "check_delay": 5.0, "multicast_endpoint": null}, "id": ${id}}` };
    case 'incr':
      return props.waiting ? { status: 'ok', time: 1.5, numprocesses: 3 } : { status: 'ok', time: 1.5 };
    case 'add':
      return props.name === 'dup' ? { status: 'error', reason: `command b'{}': 'dup' already exist`, tb: null, time: 1.5, errno: 5 } : { status: 'ok', time: 1.5 };
    case 'slow':
      return undefined;
    default:
      return { status: 'ok', time: 1.5 };
  }
}

describe('circusctl (built) against a fake daemon', function () {
  this.timeout(60_000);
  let tmp: string;
  let daemon: FakeCircusd | undefined;
  let endpoint: string;

  beforeEach(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'circusctl-it-'));
    daemon = new FakeCircusd('tcp://127.0.0.1:0', answer);
    await daemon.start();
    endpoint = daemon.boundEndpoint;
  });

  afterEach(async () => {
    await ctls.killAll();
    await daemon?.stop();
    daemon = undefined;
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const requests = (): Record<string, unknown>[] => (daemon as FakeCircusd).requests.map((r) => r.json);
  const E = (): string[] => ['--endpoint', endpoint];

  it('list, status, options, stats, dstats, globaloptions print as Circus does', async () => {
    assert.deepEqual(await ctl([...E(), 'list']), { code: 0, stdout: 'beta,web\n', stderr: '' });
    assert.deepEqual(await ctl([...E(), 'list', 'web']), { code: 0, stdout: '4242,4243\n', stderr: '' });
    assert.deepEqual(await ctl([...E(), 'status']), { code: 0, stdout: 'Beta: active\nweb: active\n', stderr: '' });
    assert.deepEqual(await ctl([...E(), 'status', 'web']), { code: 0, stdout: 'active\n', stderr: '' });
    assert.deepEqual(await ctl([...E(), 'options', 'web']), {
      code: 0,
      stdout: '__name__: watcher:web\nargs: \nenv: A=1,B=2\ngraceful_timeout: 30.0\nnumprocesses: 2\nsend_hup: False\nuid: \n',
      stderr: '',
    });
    assert.deepEqual(await ctl([...E(), 'stats', 'web']), { code: 0, stdout: 'web:\n4242: 4242  sleep app 0 9.10M 24.30M 0.5 0.113 0:00.03\n', stderr: '' });
    assert.deepEqual(await ctl([...E(), 'dstats']), { code: 0, stdout: 'Main Process:\n    4100  node app 0 21.45M 301.12M 0.0 0.27 0:00.41\n', stderr: '' });
    assert.deepEqual(await ctl([...E(), 'globaloptions']), {
      code: 0,
      stdout: 'endpoint: tcp://127.0.0.1:5555\nstats_endpoint: tcp://127.0.0.1:5557\npubsub_endpoint: tcp://127.0.0.1:5556\ncheck_delay: 5.0\nmulticast_endpoint: \n',
      stderr: '',
    });
    assert.deepEqual(requests().map((r) => [r.command, r.properties]), [
      ['list', {}], ['list', { name: 'web' }], ['status', {}], ['status', { name: 'web' }], ['options', { name: 'web' }],
      ['stats', { name: 'web', extended: false }], ['dstats', {}], ['globaloptions', {}],
    ]);
  });

  it('incr, add, set, signal send the exact requests and print the result', async () => {
    assert.deepEqual(await ctl([...E(), 'incr', 'web', '2', '--waiting']), { code: 0, stdout: '3\n', stderr: '' });
    assert.deepEqual(await ctl([...E(), 'incr', 'web']), { code: 0, stdout: 'ok\n', stderr: '' });
    assert.deepEqual(await ctl([...E(), 'add', '--start', 'web', 'sleep', '120']), { code: 0, stdout: 'ok\n', stderr: '' });
    assert.deepEqual(await ctl([...E(), 'set', 'web', 'graceful_timeout', '5', 'numprocesses', '3', '--waiting']), { code: 0, stdout: 'ok\n', stderr: '' });
    assert.deepEqual(await ctl([...E(), 'signal', '--children', 'web', '4242', 'usr1']), { code: 0, stdout: 'ok\n', stderr: '' });
    const texts = (daemon as FakeCircusd).requests.map((r) => r.text.replace(/"id": "[0-9a-f]{32}"/, '"id": "ID"'));
    assert.deepEqual(texts, [
      '{"command": "incr", "properties": {"name": "web", "nb": 2, "waiting": true}, "id": "ID"}',
      '{"command": "incr", "properties": {"name": "web", "waiting": false}, "id": "ID"}',
      '{"command": "add", "properties": {"name": "web", "cmd": "sleep 120", "start": true}, "id": "ID"}',
      '{"command": "set", "properties": {"name": "web", "waiting": true, "options": {"graceful_timeout": 5.0, "numprocesses": 3}}, "id": "ID"}',
      '{"command": "signal", "properties": {"name": "web", "children": true, "recursive": false, "signum": "usr1", "pid": 4242}, "id": "ID"}',
    ]);
    for (const r of (daemon as FakeCircusd).requests) assert.equal(r.frames, 1);
  });

  it('error replies go to stderr with exit 3; status prints just `error`; globaloptions the bare reason', async () => {
    assert.deepEqual(await ctl([...E(), 'list', 'nope']), { code: 3, stdout: '', stderr: 'error: program nope not found\n' });
    assert.deepEqual(await ctl([...E(), 'status', 'nope']), { code: 3, stdout: '', stderr: 'error\n' });
    assert.deepEqual(await ctl([...E(), 'add', 'dup', 'x']), { code: 3, stdout: '', stderr: "error: command b'{}': 'dup' already exist\n" });
    assert.deepEqual(await ctl([...E(), 'add', 'x']), { code: 1, stdout: '', stderr: 'Invalid number of arguments\n' });
  });

  it('--json prints the reply (exit 0 even for errors); --prettify indents and sorts', async () => {
    const r = await ctl([...E(), '--json', 'status', 'nope']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^\{"status": "error", "reason": "program nope not found", "tb": null, "time": 1\.5, "errno": 3, "id": "[0-9a-f]{32}"\}\n$/);
    const g = await ctl([...E(), '--json', 'globaloptions']);
    assert.match(g.stdout, /"check_delay": 5\.0, "multicast_endpoint": null\}/);
    const p = await ctl([...E(), '--json', '--prettify', 'list']);
    assert.match(p.stdout, /^\{\n {2}"id": "[0-9a-f]{32}",\n {2}"status": "ok",\n {2}"time": 1\.5,\n {2}"watchers": \[\n {4}"beta",\n {4}"web"\n {2}\]\n\}\n$/);
    assert.equal(p.code, 0);
  });

  it('CIRCUSCTL_ENDPOINT is the default endpoint', async () => {
    assert.deepEqual(await ctl(['list'], { env: { CIRCUSCTL_ENDPOINT: endpoint } }), { code: 0, stdout: 'beta,web\n', stderr: '' });
  });

  it('prints the exact timeout text and exits 1 when nothing answers', async () => {
    const expected =
      'Timed out.\nA time out usually happens in one of those cases:\n\n#1 The Circus daemon could not be reached.\n' +
      '#2 The Circus daemon took too long to perform the operation\n\nFor #1, make sure you are hitting the right place\n' +
      'by checking your --endpoint option.\n\nFor #2, if you are not expecting a result to\ncome back, increase your timeout option value\n' +
      '(particularly with waiting switches)\n';
    const nothing = `ipc://${path.join(tmp, 'nobody.sock')}`;
    assert.deepEqual(await ctl(['--endpoint', nothing, '--timeout', '1', 'list']), { code: 1, stdout: '', stderr: expected });
    assert.deepEqual(await ctl(['--endpoint', nothing, '--timeout', '1', '--json', 'list']), { code: 1, stdout: '', stderr: expected });
  });

  it('usage errors exit 2 with argparse text; --help and --version exit 0', async () => {
    assert.deepEqual(await ctl(['foo']), { code: 2, stdout: '', stderr: 'usage: circusctl [options] command [args]\ncircusctl: error: unrecognized arguments: foo\n' });
    assert.deepEqual(await ctl(['--timeout', '0.5', 'list']), {
      code: 2,
      stdout: '',
      stderr: "usage: circusctl [options] command [args]\ncircusctl: error: argument --timeout: invalid int value: '0.5'\n",
    });
    assert.deepEqual(await ctl(['--version']), { code: 0, stdout: 'circusctl 0.19.0\n', stderr: '' });
    const help = await ctl(['--help']);
    assert.equal(help.code, 0);
    assert.deepEqual(help.stdout.split('\n').slice(0, 5), ['usage: circusctl [options] command [args]', '', 'Controls a Circus daemon', '', 'Commands:']);
    const add = await ctl(['--help', 'add']);
    assert.equal(add.code, 0);
    assert.equal(add.stdout.split('\n')[0], 'Add a watcher');
    assert.equal((daemon as FakeCircusd).requests.length, 0);
  });

  it('the shell follows the verified transcript of spec 3.4 on stdin', async () => {
    const r = await ctl([...E()], { input: 'list\nstatus nope\nfoo bar\nEOF\n' });
    assert.deepEqual(r, {
      code: 0,
      stdout: 'circusctl 0.19.0\nBeta: active\nweb: active\n(circusctl) beta,web\n(circusctl) (circusctl) *** Unknown syntax: foo bar\n(circusctl) \n',
      stderr: 'error\n',
    });
  });

  it('the shell: help, help <cmd>, end of input, an empty line repeats the last command', async () => {
    const r = await ctl([...E()], { input: 'help list\n\nlist web\n\n' });
    assert.equal(r.code, 0);
    assert.ok(r.stdout.startsWith('circusctl 0.19.0\nBeta: active\nweb: active\n(circusctl) Get list of watchers or processes in a watcher\n'));
    assert.ok(r.stdout.endsWith('(circusctl) 4242,4243\n(circusctl) 4242,4243\n(circusctl) \n'));
    const h = await ctl([...E()], { input: 'help\n' });
    assert.match(h.stdout, /\(circusctl\) \nDocumented commands \(type help <topic>\):\n=+\nadd +globaloptions/);
    assert.match(h.stdout, /Undocumented commands:\n=+\nEOF\n\n\(circusctl\) \n$/);
  });

  it('the shell leaves with exit 2 on a usage error, as Circus does', async () => {
    const r = await ctl([...E()], { input: 'list --bogus\nlist\n' });
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'usage: circusctl [options] command [args]\ncircusctl: error: unrecognized arguments: --bogus\n');
  });

  it('works over ipc too', async () => {
    const ipc = new FakeCircusd(`ipc://${path.join(tmp, 'ctl.sock')}`, answer);
    await ipc.start();
    try {
      assert.deepEqual(await ctl(['--endpoint', ipc.endpoint, 'status', 'web']), { code: 0, stdout: 'active\n', stderr: '' });
      assert.deepEqual(await ctl(['--endpoint', ipc.endpoint, 'incr', 'web', '--waiting']), { code: 0, stdout: '3\n', stderr: '' });
    } finally {
      await ipc.stop();
    }
  });

  it('AUTO_COMPLETE prints the matching commands and exits 1', async () => {
    assert.deepEqual(await ctl([], { env: { AUTO_COMPLETE: '1', COMP_WORDS: 'circusctl re', COMP_CWORD: '1' } }), {
      code: 1,
      stdout: 'reload reloadconfig restart\n',
      stderr: '',
    });
  });

  it('listen prints b-reprs of the events matching its topics until Ctrl-C (exit 1)', async () => {
    const pub = new Publisher({ linger: 0 });
    await pub.bind('tcp://127.0.0.1:0');
    try {
      const run = startCtl(['--endpoint', pub.lastEndpoint as string, 'listen', 'watcher.web.']);
      // Slow joiner: publish until the subscriber has printed something.
      const deadline = Date.now() + 15_000;
      while (!run.stdout().includes('spawn') && Date.now() < deadline) {
        await pub.send(['watcher.other.spawn', '{"process_pid": 1, "time": 1.5}']);
        await pub.send(['watcher.web.spawn', '{"process_pid": 4242, "time": 1.5}']);
        await new Promise((r) => setTimeout(r, 50));
      }
      run.child.kill('SIGINT');
      const r = await run.done;
      assert.equal(r.code, 1);
      const lines = r.stdout.split('\n').filter(Boolean);
      assert.ok(lines.length > 0);
      for (const line of lines) assert.equal(line, `b'watcher.web.spawn': b'{"process_pid": 4242, "time": 1.5}'`);
    } finally {
      pub.close();
    }
  });

  it('--ssh runs the system ssh with the tunnel argv and talks through the forwarded port', async () => {
    const bin = path.join(tmp, 'bin');
    fs.mkdirSync(bin);
    const log = path.join(tmp, 'ssh.json');
    fs.writeFileSync(
      path.join(bin, 'ssh'),
      `#!${process.execPath}
const fs = require('fs'), net = require('net');
const argv = process.argv.slice(2);
fs.writeFileSync(${JSON.stringify(log)}, JSON.stringify({ argv, pid: process.pid }));
const [lp, host, port] = argv[argv.indexOf('-L') + 1].split(':');
net.createServer((c) => {
  const u = net.connect(Number(port), host);
  c.pipe(u); u.pipe(c);
  c.on('error', () => u.destroy()); u.on('error', () => c.destroy());
  c.on('close', () => u.destroy()); u.on('close', () => c.destroy());
}).listen(Number(lp), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
`,
      { mode: 0o755 },
    );
    const key = path.join(tmp, 'id_test');
    const r = await ctl([...E(), '--ssh', 'me@example.test:2222', '--ssh_keyfile', key, 'status', 'web'], {
      env: { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` },
    });
    assert.deepEqual(r, { code: 0, stdout: 'active\n', stderr: '' });
    const seen = JSON.parse(fs.readFileSync(log, 'utf8')) as { argv: string[]; pid: number };
    const port = endpoint.split(':').pop();
    assert.equal(seen.argv.length, 12);
    assert.deepEqual([seen.argv[0], seen.argv[1]], ['-N', '-L']);
    assert.match(seen.argv[2], new RegExp(`^\\d+:127\\.0\\.0\\.1:${port}$`));
    assert.deepEqual(seen.argv.slice(3), ['-o', 'ExitOnForwardFailure=yes', '-o', 'BatchMode=yes', '-p', '2222', '-i', key, 'me@example.test']);
    await waitFor('fake ssh to be stopped', () => !alive(seen.pid), 5000);
    const refused = await ctl(['--endpoint', `ipc://${path.join(tmp, 'x.sock')}`, '--ssh', 'me@host', 'list']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /--ssh can only tunnel a tcp:\/\/HOST:PORT endpoint/);
  });
});
