import * as assert from 'assert';
import { loadFixture, loadText, TempDir } from './helpers';

describe('config/env: [env] and [env:PATTERNS] (spec/daemon.md 1.8)', () => {
  const tmp = new TempDir();
  after(() => tmp.cleanup());

  it('gives each watcher its own variables and shared ones by pattern (8.1 #12, env_section)', () => {
    const { config } = loadFixture('env_section.ini');
    const [w1, w2] = config.watchers;
    assert.deepStrictEqual([w1.name, w2.name], ['watcher1', 'watcher2']);
    assert.strictEqual(w1.env.CAKE, 'lie');
    assert.ok(!('LIE' in w1.env));
    assert.strictEqual(w2.env.LIE, 'cake');
    assert.ok(!('CAKE' in w2.env));
    for (const w of [w1, w2]) {
      assert.strictEqual(w.env.PATH, '$PATH:/bin', 'the raw $NAME text is kept by the loader');
      assert.strictEqual(w.env.TEST1, '1');
      assert.strictEqual(w.env.TEST2, '2');
      assert.strictEqual(w.env.TEST3, '3');
    }
  });

  it('keeps variable names case-sensitive (8.1 #20, env_sensecase)', () => {
    const { env } = loadFixture('env_sensecase.ini').config.watchers[0];
    assert.strictEqual(env.http_proxy, 'http://localhost:8080');
    assert.strictEqual(env.HTTPS_PROXY, 'http://localhost:8043');
    assert.strictEqual(env.FunKy_soUl, 'scorpio');
  });

  it('starts a copy_env watcher from the process env and a plain one from [env] only (8.1 #19)', () => {
    const { config } = loadText(
      tmp,
      '[env]\nSHARED = yes\n[watcher:copy]\ncmd = x\ncopy_env = True\n[watcher:plain]\ncmd = x\n',
      { ONLY_IN_PROCESS: '1' },
    );
    const [copy, plain] = config.watchers;
    assert.strictEqual(copy.env.ONLY_IN_PROCESS, '1');
    assert.strictEqual(copy.env.HOME, '/home/tester');
    assert.ok(!('ONLY_IN_PROCESS' in plain.env));
    assert.strictEqual(copy.env.SHARED, 'yes');
    assert.strictEqual(plain.env.SHARED, 'yes');
  });

  it('leaks __name__ into watcher envs: `env` from [env], overwritten by each matching [env:...] (2.2 step 5)', () => {
    const { config } = loadText(tmp, '[env]\nA = 1\n[env:w*]\nB = 2\n[watcher:web]\ncmd = x\n[watcher:other]\ncmd = x\n');
    const other = config.watchers.find((w) => w.name === 'other')!;
    const web = config.watchers.find((w) => w.name === 'web')!;
    assert.deepStrictEqual(other.env, { __name__: 'env', A: '1' });
    assert.deepStrictEqual(web.env, { __name__: 'env:w*', A: '1', B: '2' });
  });

  it('gives an empty env when there is neither copy_env nor any env section', () => {
    assert.deepStrictEqual(loadText(tmp, '[watcher:w]\ncmd = x\n').config.watchers[0].env, {});
  });

  it('applies [env:...] sections in order of first appearance; a later match overrides', () => {
    const { env } = loadText(tmp, '[env:w]\nX = first\n[env:*]\nX = second\n[watcher:w]\ncmd = x\n').config.watchers[0];
    assert.strictEqual(env.X, 'second');
  });

  it('matches patterns case-sensitively, trims them, and never applies them to plugins or sockets', () => {
    const { config } = loadText(
      tmp,
      '[env: Web , other]\nX = 1\n[watcher:web]\ncmd = x\n[watcher:Web]\ncmd = x\n[plugin:Web]\nuse = p\n',
    );
    assert.strictEqual(config.watchers.find((w) => w.name === 'Web')!.env.X, '1');
    assert.ok(!('X' in config.watchers.find((w) => w.name === 'web')!.env));
    assert.ok(!('env' in config.plugins[0]));
  });

  it('ignores an `env` option written in a watcher section', () => {
    const { env } = loadText(tmp, '[watcher:w]\ncmd = x\nenv = A=1\n').config.watchers[0];
    assert.deepStrictEqual(env, {});
  });

  it('keeps `PATH = $PATH:/bin` raw in [env:NAME] (8.1 #11: expanded at watcher creation)', () => {
    const { env } = loadText(tmp, '[watcher:my_app]\ncmd = x\n[env:my_app]\nPATH = $PATH:/bin\n').config.watchers[0];
    assert.strictEqual(env.PATH, '$PATH:/bin');
  });

  it('makes [env] values override the process env in the global env of copy_env watchers', () => {
    const { env } = loadText(tmp, '[env]\nHOME = /elsewhere\n[watcher:w]\ncmd = x\ncopy_env = 1\n').config.watchers[0];
    assert.strictEqual(env.HOME, '/elsewhere');
  });
});
