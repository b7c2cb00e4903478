import 'reflect-metadata';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { container } from 'tsyringe';
import {
  CircusConfig,
  ConfigPath,
  KernelContainer,
  PluginConfigError,
  PluginHost,
  PluginResolver,
  preparePlugin,
  resolvePluginModule,
  type PluginDescriptor,
} from '../../../kernel';
import { MemoryLogger } from '../../integration/kernel/helpers';

const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/plugins');

class Noop {
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
}

const schema: PluginDescriptor = {
  name: 'demo',
  options: {
    attempts: { type: 'int', default: 2, min: 0 },
    window: { type: 'float', default: 1 },
    endpoint: { type: 'string', required: true },
    verbose: { type: 'bool', default: false },
    pattern: { type: 'regex', default: '.*' },
  },
  plugin: Noop,
};

function record(name: string, values: Record<string, string | number>): CircusConfig['plugins'][number] {
  return { name, __name__: name, use: 'demo', ...values };
}

describe('kernel/plugin-options: a section against its schema', () => {
  it('converts values once, applies defaults, reads priority (default 1) and active (default true)', () => {
    const { prepared, problems } = preparePlugin(record('plugin:d', { attempts: ' 5 ', endpoint: 'tcp://x', verbose: 'yes' }), schema);
    assert.deepEqual(problems, []);
    assert.deepEqual({ ...prepared.options }, { attempts: 5, window: 1, endpoint: 'tcp://x', verbose: true, pattern: '.*' });
    assert.ok(Object.isFrozen(prepared.options));
    assert.equal(prepared.priority, 1);
    assert.equal(prepared.active, true);
    const other = preparePlugin(record('plugin:d', { endpoint: 'e', priority: 30, active: 'false' }), schema).prepared;
    assert.equal(other.priority, 30);
    assert.equal(other.active, false);
  });

  it('reports an unknown key, a bad int, a value below min, a bad regex and a missing required key, each naming section and key', () => {
    const { problems } = preparePlugin(record('plugin:d', { atempts: '3', window: 'soon', attempts: '-1', pattern: '(' }), schema);
    assert.equal(problems.length, 5, problems.join('\n'));
    assert.ok(problems.some((p) => p.startsWith('[plugin:d] atempts: unknown option of plugin \'demo\'')));
    assert.ok(problems.some((p) => p.startsWith("[plugin:d] window: invalid number 'soon'")), problems.join('\n'));
    assert.ok(problems.some((p) => p.startsWith('[plugin:d] attempts: -1 is below the minimum 0')));
    assert.ok(problems.some((p) => p.startsWith('[plugin:d] pattern: invalid regular expression')));
    assert.ok(problems.some((p) => p === "[plugin:d] endpoint: missing (plugin 'demo' requires it)"));
  });

  it('a regex option accepts Python syntax (named groups, inline flags), as Circus sections are written', () => {
    const { problems } = preparePlugin(record('plugin:d', { endpoint: 'e', pattern: '(?i)(?P<pid>\\d+);(?P=pid)' }), schema);
    assert.deepEqual(problems, []);
  });

  it('rejects an active value that is not a boolean', () => {
    const { problems } = preparePlugin(record('plugin:d', { endpoint: 'e', active: 'maybe' }), schema);
    assert.deepEqual(problems.map((p) => p.split(':')[0] + ':' + p.split(':')[1]), ['[plugin:d] active']);
  });
});

describe('kernel/plugin-resolver: use = path, package, dotted name', () => {
  let tmp: string;
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'plugin-resolve-'));
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('a path relative to the INI directory, with and without :Export (default export `plugin`)', () => {
    const rel = path.relative(tmp, path.join(FIXTURES, 'recorder.js'));
    assert.equal(resolvePluginModule(`./${rel}`, tmp).name, 'recorder');
    assert.equal(resolvePluginModule(`./${rel.replace(/\.js$/, '')}:Other`, tmp).name, 'recorder');
    assert.throws(() => resolvePluginModule(`./${rel}:Missing`, tmp), /has no export 'Missing'/);
  });

  it('an npm package name resolves from node_modules next to the INI file', () => {
    const pkg = path.join(tmp, 'node_modules', 'circus-demo-plugin');
    fs.mkdirSync(pkg, { recursive: true });
    fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'circus-demo-plugin', main: 'main.js' }));
    fs.copyFileSync(path.join(FIXTURES, 'recorder.js'), path.join(pkg, 'main.js'));
    assert.equal(resolvePluginModule('circus-demo-plugin', tmp).name, 'recorder');
    assert.equal(resolvePluginModule('circus-demo-plugin:Other', tmp).name, 'recorder');
  });

  it('a dotted name is resolved like a hook: export Other of module fixtures/recorder', () => {
    fs.mkdirSync(path.join(tmp, 'fixtures'));
    fs.copyFileSync(path.join(FIXTURES, 'recorder.js'), path.join(tmp, 'fixtures', 'recorder.js'));
    assert.equal(resolvePluginModule('fixtures.recorder.Other', tmp).name, 'recorder');
  });

  it('a missing module or a module that is not a descriptor says so', () => {
    assert.throws(() => resolvePluginModule('./nope.js', tmp), /cannot find module '\.\/nope\.js'/);
    assert.throws(() => resolvePluginModule('circus.plugins.nothing.Here', tmp), /cannot resolve 'circus\.plugins\.nothing\.Here'/);
    fs.writeFileSync(path.join(tmp, 'bad.js'), 'exports.plugin = { name: 1 };');
    assert.throws(() => resolvePluginModule('./bad.js', tmp), /is not a plugin descriptor/);
  });
});

describe('kernel/plugin-host: prepareSections', () => {
  it('reports every problem of every section together, before anything starts', () => {
    const c = container.createChildContainer();
    c.register(KernelContainer, { useValue: c });
    c.register(ConfigPath, { useFactory: () => '/etc/circus/circus.ini' });
    c.register(PluginResolver, {
      useValue: {
        resolve: (use: string, dir: string) => {
          assert.equal(dir, '/etc/circus');
          if (use === 'demo') return schema;
          throw new Error(`no plugin '${use}'`);
        },
      },
    });
    const host = new PluginHost(c, new MemoryLogger());
    assert.throws(
      () =>
        host.prepareSections([
          record('plugin:a', { endpoint: 'e', attempts: 'x' }),
          { name: 'plugin:b', __name__: 'plugin:b', use: 'missing' },
          record('plugin:c', { endpoint: 'e' }),
        ]),
      (err: unknown) => {
        assert.ok(err instanceof PluginConfigError);
        assert.deepEqual(err.problems, [
          "[plugin:a] attempts: invalid integer 'x'",
          "[plugin:b] use: cannot load plugin 'missing': no plugin 'missing'",
        ]);
        return true;
      },
    );
  });
});
