import * as assert from 'assert';
import { loadFixture, loadText, TempDir } from './helpers';

describe('config: watcher, socket and plugin records (spec/daemon.md 1.9, 2.1, 3.1, 6.1)', () => {
  const tmp = new TempDir();
  after(() => tmp.cleanup());

  describe('watchers', () => {
    it('fills in every default of 2.1', () => {
      const w = loadText(tmp, '[watcher:w]\ncmd = x\n').config.watchers[0];
      assert.deepStrictEqual(
        { ...w },
        {
          name: 'w',
          cmd: 'x',
          args: '',
          numprocesses: 1,
          warmup_delay: 0,
          executable: null,
          working_dir: null,
          on_demand: false,
          shell: false,
          uid: null,
          gid: null,
          send_hup: false,
          stop_signal: 15,
          stop_children: false,
          max_retry: 5,
          graceful_timeout: 30,
          rlimits: {},
          stdout_stream: {},
          stderr_stream: {},
          priority: 0,
          use_sockets: false,
          singleton: false,
          copy_env: false,
          copy_path: false,
          hooks: {},
          respawn: true,
          autostart: true,
          env: {},
          __name__: 'watcher:w',
        },
      );
    });

    it('types every option of a fully specified watcher', () => {
      const w = loadFixture('watcher_options.ini').config.watchers[0];
      assert.strictEqual(w.cmd, 'node worker.js');
      assert.strictEqual(w.args, '--port 8000');
      assert.strictEqual(w.shell, true);
      assert.strictEqual(w.shell_args, 'a b');
      assert.strictEqual(w.working_dir, '/srv/app');
      assert.deepStrictEqual([w.uid, w.gid], ['www', 'www']);
      assert.strictEqual(w.send_hup, true);
      assert.strictEqual(w.stop_signal, 3);
      assert.strictEqual(w.stop_children, true);
      assert.strictEqual(w.graceful_timeout, 2.5);
      assert.strictEqual(w.numprocesses, 3);
      assert.strictEqual(w.warmup_delay, 1);
      assert.strictEqual(w.executable, '/usr/bin/node');
      assert.strictEqual(w.priority, 7);
      assert.strictEqual(w.singleton, false);
      assert.strictEqual(w.use_sockets, true);
      assert.strictEqual(w.max_retry, -1);
      assert.strictEqual(w.respawn, false);
      assert.strictEqual(w.autostart, false);
      assert.strictEqual(w.on_demand, true);
      assert.strictEqual(w.close_child_stdin, false);
      assert.strictEqual(w.close_child_stdout, true);
      assert.strictEqual(w.close_child_stderr, true);
      assert.strictEqual(w.copy_env, true);
      assert.strictEqual(w.copy_path, true);
      assert.strictEqual(w.check_flapping, false);
      assert.deepStrictEqual(w.rlimits, { nofile: 1024, core: -1 });
      assert.deepStrictEqual(w.stdout_stream, { class: 'FileStream', filename: '/tmp/out.log', max_bytes: '1024' });
      assert.deepStrictEqual(w.stderr_stream, { class: 'StdoutStream' });
      assert.deepStrictEqual(w.hooks, {
        before_start: ['hooks.mymodule.check', true],
        after_spawn: ['./hooks/mymodule.js:check', false],
      });
    });

    it('keeps free-form options as strings (max_age, flapping.*, virtualenv, stdin_socket, umask)', () => {
      const w = loadFixture('watcher_options.ini').config.watchers[0];
      assert.strictEqual(w.max_age, '60');
      assert.strictEqual(w.max_age_variance, '5');
      assert.strictEqual(w['flapping.attempts'], '3');
      assert.strictEqual(w.stdin_socket, 'web');
      assert.strictEqual(w.umask, '022');
      // 8.1 #25
      assert.strictEqual(w.virtualenv, '/srv/venv');
      assert.strictEqual(w.virtualenv_py_ver, '3.3');
    });

    it('keeps uid and gid as the strings given (8.1 #2, issue137)', () => {
      const w = loadFixture('issue137.ini').config.watchers[0];
      assert.deepStrictEqual([w.uid, w.gid], ['me', 'me']);
    });

    it('parses graceful_timeout as a float: 30, 88 and 25.5 (8.1 #7, issue210)', () => {
      const byName = Object.fromEntries(loadFixture('issue210.ini').config.watchers.map((w) => [w.name, w.graceful_timeout]));
      assert.deepStrictEqual(byName, { 'eighty-eight': 88, fraction: 25.5, thirty: 30 });
    });

    it('reads stop_signal = INT as 2 and stop_children = true (8.1 #22)', () => {
      const w = loadText(tmp, '[watcher:w]\ncmd = x\nstop_signal = INT\nstop_children = true\n').config.watchers[0];
      assert.strictEqual(w.stop_signal, 2);
      assert.strictEqual(w.stop_children, true);
    });

    it('takes the name after `watcher:` with its case, spaces and dots, and sorts by code point', () => {
      const { watchers } = loadText(tmp, '[watcher:b.svc]\ncmd = x\n[watcher:My App]\ncmd = x\n[watcher:a]\ncmd = x\n').config;
      assert.deepStrictEqual(watchers.map((w) => w.name), ['My App', 'a', 'b.svc']);
    });

    it('keeps the header name even when the section sets a `name` option', () => {
      assert.strictEqual(loadText(tmp, '[watcher:real]\ncmd = x\nname = other\n').config.watchers[0].name, 'real');
    });

    it('applies [DEFAULT] options to every watcher without its own value', () => {
      const { watchers } = loadFixture('defaults.ini').config;
      assert.deepStrictEqual(watchers.map((w) => [w.name, w.numprocesses, w.shared]), [
        ['inherits', 3, 'from-default'],
        ['overrides', 1, 'from-default'],
      ]);
    });

    it('does not take `Cmd` for `cmd` (case-sensitive keys)', () => {
      const w = loadText(tmp, '[watcher:w]\nCmd = x\n').config.watchers[0];
      assert.strictEqual(w.cmd, '');
      assert.strictEqual(w.Cmd, 'x');
    });

    it('splits a hook at the first comma and trims both parts', () => {
      const w = loadText(tmp, '[watcher:w]\ncmd = x\nhooks.before_stop =  mod:fn ,  TRUE \n');
      assert.deepStrictEqual(w.config.watchers[0].hooks.before_stop, ['mod:fn', true]);
      assert.throws(() => loadText(tmp, '[watcher:w]\ncmd = x\nhooks.after_stop = a,b\n'), /invalid boolean 'b'/);
    });

    it('deep-freezes every record', () => {
      const { config } = loadFixture('watcher_options.ini');
      const w = config.watchers[0];
      assert.ok(Object.isFrozen(config) && Object.isFrozen(config.watchers) && Object.isFrozen(w));
      assert.ok(Object.isFrozen(w.env) && Object.isFrozen(w.rlimits) && Object.isFrozen(w.hooks.before_start));
      assert.throws(() => {
        (w as unknown as Record<string, unknown>).cmd = 'changed';
      }, TypeError);
    });
  });

  describe('sockets', () => {
    it('lower-cases the name taken after the last `socket:` and keeps values as strings', () => {
      const s = loadText(tmp, '[socket:Some-Socket]\nhost = 127.0.0.1\nport = 8888\n').config.sockets[0];
      assert.deepStrictEqual(
        { ...s },
        { __name__: 'socket:Some-Socket', host: '127.0.0.1', port: '8888', name: 'some-socket', so_reuseport: false, replace: false },
      );
    });

    it('casts so_reuseport and replace at load time (8.1 #23)', () => {
      const s = loadText(tmp, '[socket:s]\nso_reuseport = True\nreplace = yes\n').config.sockets[0];
      assert.strictEqual(s.so_reuseport, true);
      assert.strictEqual(s.replace, true);
    });

    it('sorts sockets by their lower-cased name', () => {
      const { sockets } = loadText(tmp, '[socket:B]\nport = 1\n[socket:a]\nport = 2\n').config;
      assert.deepStrictEqual(sockets.map((s) => s.name), ['a', 'b']);
    });
  });

  describe('plugins', () => {
    it('names a plugin by its whole header and converts priority to an integer', () => {
      const p = loadText(tmp, '[plugin:Flap]\nuse = circus.plugins.flapping.Flapping\npriority = 30\nmax_retry = 3\n').config.plugins[0];
      assert.deepStrictEqual(
        { ...p },
        { __name__: 'plugin:Flap', use: 'circus.plugins.flapping.Flapping', priority: 30, max_retry: '3', name: 'plugin:Flap' },
      );
    });

    it('leaves priority absent when the section does not set it', () => {
      assert.ok(!('priority' in loadText(tmp, '[plugin:p]\nuse = x\n').config.plugins[0]));
    });

    it('loads the priorities of issue680 (8.1 #8)', () => {
      const { config } = loadFixture('issue680.ini');
      const order = [
        ...config.watchers.map((w) => [w.name, w.priority, w.cmd] as const),
        ...config.plugins.map((p) => [p.name, p.priority, ''] as const),
      ].sort((a, b) => (b[1] as number) - (a[1] as number));
      assert.deepStrictEqual(order.map((o) => o[0]), ['plugin:myplugin', 'high', 'low']);
      assert.strictEqual(order[1][2], 'sleep 20');
    });
  });

  it('skips sections without options (8.1 #26, empty_section)', () => {
    const { config } = loadFixture('empty_section.ini');
    assert.deepStrictEqual(config.sockets, []);
    assert.deepStrictEqual(config.plugins, []);
    assert.deepStrictEqual(config.watchers.map((w) => w.name), ['full']);
  });

  it('ignores sections of unknown types silently', () => {
    const { config, warnings } = loadText(tmp, '[whatever]\na = 1\n[Watcher:x]\ncmd = y\n');
    assert.deepStrictEqual(config.watchers, []);
    assert.deepStrictEqual(warnings, []);
  });

  it('merges a duplicate (re-opened) section; the first value of a key wins', () => {
    const { watchers } = loadText(tmp, '[watcher:w]\ncmd = first\n[watcher:w]\ncmd = second\nnumprocesses = 2\n').config;
    assert.strictEqual(watchers.length, 1);
    assert.strictEqual(watchers[0].cmd, 'first');
    assert.strictEqual(watchers[0].numprocesses, 2);
  });
});
