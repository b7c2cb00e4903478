import * as assert from 'assert';
import { checkConstruction, ConfigError, formatConfig, loadConfig } from '../../../config';
import { BASE_ENV, TempDir } from './helpers';

/** A small deterministic PRNG (mulberry32), so a failure can be replayed from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  '[circus]', '[watcher:w]', '[watcher:__proto__]', '[socket:s]', '[plugin:p]', '[env]', '[env:w*,x]', '[DEFAULT]', '[',
  ']', 'cmd = run', 'numprocesses = ', 'numprocesses = 2', 'stop_signal = ', 'hooks.x = a,', 'hooks.__proto__ = m:f',
  '__proto__ = 1', 'constructor = 2', 'toString = yes', 'rlimit_ = ', 'stdout_stream. = x', 'include = *', ';', '#', 'rem',
  '  continued', '\t# indented', 'k = v ; c', 'k: v', '=', ':', 'priority = x', 'use = ', 'umask = 0o7',
  '$(circus.env.HOME)', '((circus.env.X))', 'x', '"', '""', '\u00e9', 'stats_endpoint = a', 'graceful_timeout = nan',
];

describe('config: random INI text never makes the loader throw anything but ConfigError', () => {
  const tmp = new TempDir();
  after(() => tmp.cleanup());

  it('survives 300 random files (seeded)', () => {
    const random = prng(20260101);
    let loaded = 0;
    for (let n = 0; n < 300; n++) {
      const lines: string[] = [];
      const count = 1 + Math.floor(random() * 12);
      for (let i = 0; i < count; i++) {
        let line = PIECES[Math.floor(random() * PIECES.length)];
        if (random() < 0.3) line += ` ${PIECES[Math.floor(random() * PIECES.length)]}`;
        lines.push(line);
      }
      const file = tmp.write(`fuzz-${n}.ini`, lines.join(random() < 0.5 ? '\n' : '\r\n'));
      try {
        const { config } = loadConfig(file, { env: BASE_ENV });
        checkConstruction(config, file, { env: BASE_ENV });
        JSON.parse(formatConfig(config).replace(/\bNaN\b/g, 'null'));
        loaded++;
      } catch (err) {
        assert.ok(err instanceof ConfigError, `seed case ${n} threw ${String(err)}\n${lines.join('\n')}`);
      }
    }
    assert.ok(loaded > 0, 'some random files must load');
  });

  it('keeps a `__proto__` key an ordinary option', () => {
    const file = tmp.write('proto.ini', '[watcher:w]\ncmd = x\n__proto__ = 1\nhooks.__proto__ = m:f\nconstructor = 2\ntoString = yes\n');
    const w = loadConfig(file, { env: BASE_ENV }).config.watchers[0];
    assert.strictEqual(Object.getPrototypeOf(w), Object.prototype);
    assert.strictEqual(Object.getOwnPropertyDescriptor(w, '__proto__')?.value, '1');
    assert.strictEqual(w.constructor, '2');
    assert.strictEqual(w.toString, 'yes');
    assert.deepStrictEqual(Object.getOwnPropertyDescriptor(w.hooks, '__proto__')?.value, ['m:f', false]);
  });
});
