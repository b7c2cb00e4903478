import { strict as assert } from 'node:assert';
import { ArgumentError, CommandError, NotFoundError } from '../../../../kernel';
import { STANDARD_OPTIONS } from '../../../../plugins/commands/options-view';
import { Bench } from './helpers';

describe('commands plugin: read-only commands', function () {
  this.timeout(30000);
  let b: Bench;

  beforeEach(() => {
    b = new Bench();
  });

  afterEach(async () => {
    assert.deepEqual(await b.close(), [], 'no process may outlive the test');
  });

  it('list: sorted lower-case names; with a name the live pids; unknown watcher NotFoundError', async () => {
    await b.start({ watchers: [b.sleeper('Web', { numprocesses: 2 }), b.sleeper('alpha')] });
    assert.deepEqual(await b.answer('list'), { watchers: ['alpha', 'web'] });
    const { pids } = (await b.answer('list', { name: 'WEB' })) as { pids: number[] };
    assert.equal(pids.length, 2);
    assert.deepEqual([...pids].sort(), [...b.a.getWatcher('web').pids].sort());
    await b.fails('list', { name: 'nope' }, NotFoundError, "watcher 'nope' not found");
  });

  it('status: the state replaces ok with a name; statuses keyed by the name as given', async () => {
    await b.start({ watchers: [b.sleeper('Web'), b.sleeper('idle', { autostart: false })] });
    assert.deepEqual(await b.answer('status', { name: 'web' }), { status: 'active' });
    assert.deepEqual(await b.answer('status'), { statuses: { Web: 'active', idle: 'stopped' } });
    await b.fails('status', { name: 'x' }, NotFoundError, "watcher 'x' not found");
  });

  it('numprocesses and numwatchers count tracked processes and watchers', async () => {
    await b.start({ watchers: [b.sleeper('web', { numprocesses: 2 }), b.sleeper('one')] });
    assert.deepEqual(await b.answer('numprocesses'), { numprocesses: 3 });
    assert.deepEqual(await b.answer('numprocesses', { name: 'WEB' }), { numprocesses: 2, watcher_name: 'WEB' });
    assert.deepEqual(await b.answer('numwatchers'), { numwatchers: 2 });
    await b.fails('numprocesses', { name: 'x' }, NotFoundError, "watcher 'x' not found");
  });

  it('globaloptions: the five keys in order; option selects one; an unknown one is refused', async () => {
    await b.start({ watchers: [] });
    const all = (await b.answer('globaloptions')) as { options: Record<string, unknown> };
    assert.deepEqual(Object.keys(all.options), ['endpoint', 'stats_endpoint', 'pubsub_endpoint', 'check_delay', 'multicast_endpoint']);
    assert.deepEqual(all.options, {
      endpoint: 'tcp://127.0.0.1:5555',
      stats_endpoint: 'tcp://127.0.0.1:5557',
      pubsub_endpoint: 'tcp://127.0.0.1:5556',
      check_delay: -1,
      multicast_endpoint: '',
    });
    assert.deepEqual(await b.answer('globaloptions', { option: 'endpoint' }), { options: { endpoint: 'tcp://127.0.0.1:5555' } });
    assert.deepEqual(await b.answer('globaloptions', { option: '' }), all);
    await b.fails('globaloptions', { option: 'warmup_delay' }, ArgumentError, "'warmup_delay' not an existing option");
  });

  it('options: 29 standard keys sorted; an added watcher has nulls where a config one has {} and ""', async () => {
    await b.start({ watchers: [] });
    await b.answer('add', { name: 'dyn', cmd: 'sleep 120' });
    const { options } = (await b.answer('options', { name: 'dyn' })) as { options: Record<string, unknown> };
    assert.deepEqual(Object.keys(options), STANDARD_OPTIONS);
    assert.equal(STANDARD_OPTIONS.length, 29);
    assert.deepEqual(options, {
      args: null, close_child_stderr: false, close_child_stdin: true, close_child_stdout: false, cmd: 'sleep 120',
      copy_env: false, env: null, executable: null, gid: null, graceful_timeout: 30, max_age: 0, max_age_variance: 30,
      max_retry: 5, numprocesses: 1, on_demand: false, priority: 0, respawn: true, send_hup: false, shell: false,
      shell_args: null, singleton: false, stderr_stream_conf: null, stdout_stream_conf: null, stop_children: false,
      stop_signal: 15, uid: null, use_sockets: false, warmup_delay: 0, working_dir: process.cwd(),
    });
    await b.fails('options', { name: 'nope' }, NotFoundError, "watcher 'nope' not found");
  });

  it('options of a config-file watcher: __name__ first, args "", env {}, stream confs {}', async () => {
    const ini = b.writeIni('[circus]\ncheck_delay = -1\n\n[watcher:web]\ncmd = {node} {sleeper} {dir}\nuse_sockets = True\ngraceful_timeout = 2\n');
    const { loadConfig } = await import('../../../../config/index');
    await b.start(loadConfig(ini).config, ini);
    const { options } = (await b.answer('options', { name: 'web' })) as { options: Record<string, unknown> };
    assert.equal(Object.keys(options)[0], '__name__');
    assert.equal(options.__name__, 'watcher:web');
    assert.equal(options.args, '');
    assert.deepEqual(options.env, {});
    assert.deepEqual(options.stdout_stream_conf, {});
    assert.deepEqual(options.stderr_stream_conf, {});
    assert.equal(options.use_sockets, true);
    assert.deepEqual(Object.keys(options).slice(1), STANDARD_OPTIONS);
  });

  it('get: keys in request order; unknown key errno 3; an extra option fails like Circus (errno 5)', async () => {
    await b.start({ watchers: [b.sleeper('web', { numprocesses: 2, env: { PORT: '8000' } })] });
    assert.deepEqual(await b.answer('get', { name: 'web', keys: ['numprocesses', 'env'] }), { options: { numprocesses: 2, env: { PORT: '8000' } } });
    assert.deepEqual(await b.answer('get', { name: 'web', keys: [] }), { options: {} });
    await b.fails('get', { name: 'web', keys: ['nope'] }, ArgumentError, "'nope' option not found");
    await b.fails('get', { name: 'web', keys: ['__name__'] }, CommandError, "'Watcher' object has no attribute '__name__'");
    await b.fails('get', { name: 'x', keys: [] }, NotFoundError, "watcher 'x' not found");
    await assert.rejects(b.invoke('get', { name: 'web' }), /missing property 'keys'/);
  });

  it('listsockets: sockets sorted by fd with host/port or path', async () => {
    const ini = b.writeIni('[circus]\ncheck_delay = -1\n\n[socket:web]\nhost = localhost\nport = 0\n\n[socket:unix]\npath = {dir}/u.sock\nfamily = AF_UNIX\n');
    const { loadConfig } = await import('../../../../config/index');
    await b.start(loadConfig(ini).config, ini);
    const { sockets } = (await b.answer('listsockets')) as { sockets: Record<string, unknown>[] };
    assert.equal(sockets.length, 2);
    assert.ok((sockets[0].fd as number) < (sockets[1].fd as number));
    const unix = sockets.find((s) => s.name === 'unix') as Record<string, unknown>;
    const tcp = sockets.find((s) => s.name === 'web') as Record<string, unknown>;
    assert.deepEqual(Object.keys(unix), ['fd', 'name', 'backlog', 'path']);
    assert.equal(unix.path, `${b.tmp}/u.sock`);
    assert.deepEqual(Object.keys(tcp), ['fd', 'name', 'backlog', 'host', 'port']);
    assert.equal(tcp.host, '127.0.0.1');
    assert.equal(typeof tcp.port, 'number');
  });

  it('ipython answers that it is not supported', async () => {
    await b.start({ watchers: [] });
    assert.deepEqual(await b.answer('ipython'), { shell: false, msg: 'not supported' });
  });

  it('registers all 25 Circus commands; listen on the control socket refers the client to pub/sub (errno 3)', async () => {
    await b.start({ watchers: [] });
    assert.deepEqual(b.a.commands.names(), [
      'add', 'decr', 'dstats', 'get', 'globaloptions', 'incr', 'ipython', 'kill', 'list', 'listen', 'listsockets',
      'numprocesses', 'numwatchers', 'options', 'quit', 'reload', 'reloadconfig', 'restart', 'rm', 'set',
      'signal', 'start', 'stats', 'status', 'stop',
    ]);
    await assert.rejects(b.a.commands.execute('listen', {}), (err: Error) => err.message === 'invalid message. use a pub/sub socket' && (err as { code?: string }).code === 'E_ARGUMENT');
  });
});
