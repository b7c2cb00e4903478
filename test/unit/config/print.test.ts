import * as assert from 'assert';
import { formatConfig, pythonJson, pyFloat } from '../../../config';
import { loadFixture } from './helpers';

describe('config/print: --print-config JSON (spec/daemon.md 1.9)', () => {
  it('prints Python floats with a decimal point and ints without', () => {
    const text = formatConfig(loadFixture('issue210.ini').config);
    assert.match(text, /"graceful_timeout": 30\.0,/);
    assert.match(text, /"graceful_timeout": 88\.0,/);
    assert.match(text, /"graceful_timeout": 25\.5,/);
    assert.match(text, /"check_delay": 5\.0,/);
    assert.match(text, /"numprocesses": 1,/);
  });

  it('parses back to the same data as the model', () => {
    const { config } = loadFixture('watcher_options.ini');
    assert.deepStrictEqual(JSON.parse(formatConfig(config)), JSON.parse(JSON.stringify(config)));
  });

  it('uses a 2-space indent, Circus field names in order, and null for unset options', () => {
    const text = formatConfig(loadFixture('issue137.ini').config);
    assert.ok(text.startsWith('{\n  "check_delay": 5.0,\n  "endpoint": "tcp://127.0.0.1:5555",\n  "endpoint_owner": null,'));
    assert.match(text, /\n  "watchers": \[\n    \{\n      "name": "webapp",\n      "cmd": "run",/);
    assert.match(text, /"working_dir": null,/);
    assert.match(text, /"rlimits": \{\},/);
    assert.match(text, /"plugins": \[\],/);
  });

  it('prints hooks as [spec, flag] lists and keeps $NAME text in env values', () => {
    const text = formatConfig(loadFixture('env_section.ini').config);
    assert.match(text, /"PATH": "\$PATH:\/bin"/);
    const hooks = formatConfig(loadFixture('watcher_options.ini').config);
    assert.match(hooks, /"before_start": \[\n\s+"hooks\.mymodule\.check",\n\s+true\n\s+\]/);
  });

  it('escapes non-ASCII text like Python json (ensure_ascii) and renders non-finite floats', () => {
    assert.strictEqual(pythonJson({ a: 'é\u{1F600}"' }, 2), '{\n  "a": "\\u00e9\\ud83d\\ude00\\""\n}');
    assert.strictEqual(pythonJson([pyFloat(Infinity), pyFloat(NaN), pyFloat(1e-5), 1e16], 2), '[\n  Infinity,\n  NaN,\n  1e-05,\n  10000000000000000\n]');
    assert.strictEqual(pythonJson([], 2), '[]');
    assert.strictEqual(pythonJson(1e21), '1000000000000000000000');
    assert.strictEqual(pythonJson(-0.5), '-0.5');
  });
});
