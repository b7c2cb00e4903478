import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { ConfigError, loadConfig } from '../../../config/index';

/** Runs per property, and the seed (FC_SEED=<n> replays a failure; fast-check prints seed and path). */
const RUNS = process.env.FC_RUNS ? Number(process.env.FC_RUNS) : 2000;
const SEED = process.env.FC_SEED ? Number(process.env.FC_SEED) : Date.now() ^ (process.pid << 8);
const FIXTURES = path.join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'config');

/** Every .ini file under a folder (relative paths). */
function iniFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...iniFiles(full, path.join(prefix, name)));
    else if (name.endsWith('.ini')) out.push(path.join(prefix, name));
  }
  return out.sort();
}

const SECTIONS = ['circus', 'watcher:web', 'watcher:Web', 'watcher:w2', 'socket:s', 'plugin:p', 'env', 'env:web', 'env:w*', 'DEFAULT'];
const ODD_SECTIONS = ['weird:', '', ' circus', 'watcher:', 'socket:', 'plugin:', 'env:'];
const KEYS = [
  'cmd', 'args', 'numprocesses', 'warmup_delay', 'working_dir', 'shell', 'uid', 'gid', 'env', 'copy_env', 'copy_path', 'hooks.before_start',
  'stdout_stream.class', 'stdout_stream.filename', 'stderr_stream.max_bytes', 'rlimit_nofile', 'rlimit_bogus', 'use_sockets', 'singleton',
  'respawn', 'autostart', 'priority', 'on_demand', 'stop_signal', 'graceful_timeout', 'max_age', 'virtualenv', 'include', 'include_dir',
  'endpoint', 'pubsub_endpoint', 'stats_endpoint', 'endpoint_owner', 'check_delay', 'statsd', 'httpd', 'httpd_port', 'loglevel', 'umask',
  'max_request_size', 'max_requests_per_client', 'curve_secret_key', 'curve_authorized_keys', 'audit_log', 'host', 'port', 'family', 'type',
  'path', 'use', 'PATH', 'PYTHONPATH', 'stdin_socket', 'close_child_stdout', 'close_child_stderr',
];
const VALUES = [
  '', '0', '1', '-1', '3.5', 'true', 'no', 'maybe', '1e400', '99999999999999999999', '0x10', '$PATH', '${HOME}', '$(circus.env.X)',
  '$(circus.wid)', '$(circus.sockets.s)', '((circus.env.Y))', '%(here)s', '%%', 'ipc:///tmp/x.sock', 'tcp://127.0.0.1:0', 'tcp://[::1]:x',
  'udp://239.1.1.1:9', 'SIGTERM', 'term', 'SIGRTMIN+99', 'sleep 1', '"quoted', "'single", '*.ini', '../*', 'x,y,,z', 'a=b', 'circus.plugins.x',
  'mymodule:run', 'FileStream', '\\', '\u0000', '\ud800', 'é', '\t', ';comment', '#comment',
];

/** A key/value line (= or : as separator). */
const keyValue = fc
  .tuple(fc.constantFrom(...KEYS), fc.constantFrom(' = ', '=', ': ', ' :'), fc.oneof(fc.constantFrom(...VALUES), fc.string({ maxLength: 20 })))
  .map(([k, sep, v]) => `${k}${sep}${v}`);

/** A line inside a section: mostly key/value, sometimes a continuation, comment, blank, header or junk. */
const bodyLine = fc.oneof(
  { arbitrary: keyValue, weight: 12 },
  { arbitrary: fc.constantFrom(...VALUES).map((v) => `    ${v}`), weight: 1 },
  { arbitrary: fc.constantFrom('# c', '; c', '', '   ', 'rem x'), weight: 1 },
  { arbitrary: fc.constantFrom(...SECTIONS, ...ODD_SECTIONS).map((s) => `[${s}]`), weight: 1 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 1 },
);

/** A section: its header (a known kind, now and then an odd one), then its lines; a watcher usually has a cmd. */
const section = fc
  .tuple(
    fc.oneof({ arbitrary: fc.constantFrom(...SECTIONS), weight: 18 }, { arbitrary: fc.constantFrom(...ODD_SECTIONS), weight: 1 }, { arbitrary: fc.string({ maxLength: 12 }), weight: 1 }),
    fc.array(bodyLine, { maxLength: 10 }),
    fc.integer({ min: 0, max: 4 }).map((n) => n > 0),
  )
  .map(([name, lines, cmd]) => [`[${name}]`, ...(cmd && name.startsWith('watcher:') ? ['cmd = sleep 10'] : []), ...(name.startsWith('plugin:') && cmd ? ['use = x'] : []), ...lines]);

/** A whole INI text: sections (rarely junk before the first), lines joined by \n, \r\n or \r, sometimes a BOM first. */
const iniText = fc
  .tuple(fc.array(section, { minLength: 1, maxLength: 5 }), fc.option(bodyLine, { nil: undefined, freq: 10 }), fc.constantFrom('\n', '\r\n', '\r'), fc.boolean())
  .map(([sections, before, eol, bom]) => `${bom ? '\ufeff' : ''}${[...(before === undefined ? [] : [before]), ...sections.flat()].join(eol)}`);

/** An edit of a real file: delete, duplicate or swap lines, insert or delete characters, truncate, splice random text. */
type Edit = { op: 'drop' | 'dup' | 'swap' | 'ins' | 'del' | 'cut' | 'splice'; at: number; text: string; n: number };
const edit: fc.Arbitrary<Edit> = fc.record({
  op: fc.constantFrom('drop', 'dup', 'swap', 'ins', 'del', 'cut', 'splice'),
  at: fc.nat(),
  text: fc.oneof(fc.constantFrom('[', ']', '=', ':', '\n', '$', '(', ')', '%', '{', '}', '\\', '\u0000', '#', ' ', 'include = *'), fc.string({ maxLength: 10 })),
  n: fc.integer({ min: 1, max: 8 }),
});

function applyEdit(text: string, e: Edit): string {
  const lines = text.split('\n');
  const li = lines.length === 0 ? 0 : e.at % lines.length;
  const ci = text.length === 0 ? 0 : e.at % (text.length + 1);
  switch (e.op) {
    case 'drop':
      lines.splice(li, 1);
      return lines.join('\n');
    case 'dup':
      lines.splice(li, 0, lines[li] ?? '');
      return lines.join('\n');
    case 'swap': {
      const other = (li + e.n) % Math.max(1, lines.length);
      [lines[li], lines[other]] = [lines[other], lines[li]];
      return lines.join('\n');
    }
    case 'ins':
      return text.slice(0, ci) + e.text + text.slice(ci);
    case 'del':
      return text.slice(0, ci) + text.slice(ci + e.n);
    case 'cut':
      return text.slice(0, ci);
    case 'splice':
      return text.slice(0, ci) + e.text.repeat(e.n) + text.slice(ci + e.n);
  }
}

/**
 * Property-based test of the config loader (issue 9): random INI text and
 * mutations of the real files of test/fixtures/config (loaded from a copy
 * of that folder, so includes still resolve) either load or throw the
 * loader's own ConfigError, never a TypeError or anything else.
 */
describe(`config loader under random and mutated INI files (fast-check, ${RUNS} runs each)`, function () {
  this.timeout(300_000);
  let dir: string;

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'circus-fuzz-config-'));
    cpSync(FIXTURES, dir, { recursive: true });
  });

  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  /** Loads `text` written as `<folder of rel>/fuzz.ini`; fails on anything but success or ConfigError. */
  function loadsOrConfigError(text: string, rel = 'fuzz.ini'): void {
    const file = path.join(dir, path.dirname(rel), 'fuzz.ini');
    writeFileSync(file, text);
    try {
      loadConfig(file, { env: { HOME: '/nonexistent', X: 'x' } });
    } catch (err) {
      if (err instanceof ConfigError) {
        assert.ok(err.problems.length > 0 && err.message.length > 0, 'a ConfigError names its problems');
        return;
      }
      throw new Error(`the loader threw ${err instanceof Error ? `${err.name}: ${err.message}\n${err.stack}` : String(err)} on:\n${JSON.stringify(text)}`);
    }
  }

  it(`random INI text: loads or throws ConfigError (${RUNS} runs)`, () => {
    fc.assert(
      fc.property(iniText, (text) => loadsOrConfigError(text)),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it(`mutations of every file of test/fixtures/config: load or throw ConfigError (${RUNS} runs)`, () => {
    const files = iniFiles(FIXTURES);
    assert.ok(files.length >= 20, files.join(', '));
    const originals = new Map(files.map((f) => [f, readFileSync(path.join(FIXTURES, f), 'utf8')]));
    fc.assert(
      fc.property(fc.constantFrom(...files), fc.array(edit, { minLength: 1, maxLength: 6 }), (rel, edits) => {
        const text = edits.reduce(applyEdit, originals.get(rel) as string);
        loadsOrConfigError(text, rel);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('random bytes (not UTF-8 either): loads or throws ConfigError (500 runs)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        const file = path.join(dir, 'fuzz.ini');
        writeFileSync(file, bytes);
        try {
          loadConfig(file, { env: {} });
        } catch (err) {
          if (!(err instanceof ConfigError)) throw err;
        }
      }),
      { numRuns: 500, seed: SEED },
    );
  });
});
