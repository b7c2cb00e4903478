import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { configureLogging, parseLogOutput, readLoggerConfig } from '../../../cli/logging/configure';
import { LogManager } from '../../../cli/logging/log-manager';
import { DEBUG, INFO, WARNING } from '../../../cli/logging/levels';
import { LoggingConfigError } from '../../../cli/circusd/errors';
import { parsePyLiteral } from '../../../cli/logging/py-literal';

const FORMAT = '%(asctime)s - %(name)s - [%(levelname)s] %(message)s';

// The logger configuration example of Circus's documentation, in its three syntaxes.
function yamlExample(logfile: string): string {
  return `version: 1
disable_existing_loggers: false
formatters:
  simple:
    format: '${FORMAT}'
handlers:
  logfile:
    class: logging.FileHandler
    filename: ${logfile}
    level: DEBUG
    formatter: simple
loggers:
  circus:
    level: DEBUG
    handlers: [logfile]
    propagate: no
root:
  level: DEBUG
  handlers: [logfile]
`;
}

function jsonExample(logfile: string): string {
  return JSON.stringify({
    version: 1,
    disable_existing_loggers: false,
    formatters: { simple: { format: FORMAT } },
    handlers: { logfile: { class: 'logging.FileHandler', filename: logfile, level: 'DEBUG', formatter: 'simple' } },
    loggers: { circus: { level: 'DEBUG', handlers: ['logfile'], propagate: false } },
    root: { level: 'DEBUG', handlers: ['logfile'] },
  });
}

function iniExample(logfile: string): string {
  return `[loggers]
keys=root,circus

[handlers]
keys=logfile

[formatters]
keys=simple

[logger_root]
level=DEBUG
handlers=logfile

[logger_circus]
level=DEBUG
handlers=logfile
propagate=0
qualname=circus

[handler_logfile]
class=FileHandler
level=DEBUG
formatter=simple
args=(${JSON.stringify(logfile).replace(/"/g, "'")}, 'a')

[formatter_simple]
format=${FORMAT}
`;
}

describe('cli/logging: logger config files', () => {
  let dir: string;
  let manager: LogManager | null;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'circusd-logcfg-'));
    manager = null;
  });

  afterEach(async () => {
    if (manager) await manager.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const [ext, make] of [
    ['yaml', yamlExample],
    ['yml', yamlExample],
    ['json', jsonExample],
    ['ini', iniExample],
    ['INI', iniExample],
  ] as const) {
    it(`.${ext}: the documented example writes "[INFO] Arbiter now waiting for commands" once`, async () => {
      const logfile = path.join(dir, 'logoutput.txt');
      const file = path.join(dir, `logging.${ext}`);
      fs.writeFileSync(file, make(logfile));
      manager = await configureLogging({ loggerConfig: file, level: 'critical' });
      manager.getLogger('circus').info('Arbiter now waiting for commands');
      manager.getLogger('other').debug('from another library');
      const lines = fs.readFileSync(logfile, 'utf8').split('\n').filter(Boolean);
      // propagate off: the circus line is written once, not again by root.
      assert.equal(lines.length, 2);
      assert.match(lines[0], /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} - circus - \[INFO\] Arbiter now waiting for commands$/);
      assert.match(lines[1], / - other - \[DEBUG\] from another library$/);
    });
  }

  it('YAML is read as YAML 1.1 like PyYAML (propagate: no is false)', () => {
    const file = path.join(dir, 'l.yaml');
    fs.writeFileSync(file, yamlExample(path.join(dir, 'x.log')));
    const setup = readLoggerConfig(file);
    const circus = setup.loggers.find((l) => l.name === 'circus');
    assert.equal(circus?.propagate, false);
    assert.equal(circus?.level, DEBUG);
  });

  it('supports every handler class with its options (dictConfig)', () => {
    const file = path.join(dir, 'all.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        version: 1,
        formatters: { f: { format: '%(message)s', datefmt: '%H' } },
        handlers: {
          console: { class: 'logging.StreamHandler', stream: 'ext://sys.stdout', level: 'WARNING' },
          watched: { class: 'logging.handlers.WatchedFileHandler', filename: 'w.log' },
          rotating: { class: 'logging.handlers.RotatingFileHandler', filename: 'r.log', maxBytes: 100, backupCount: 3, formatter: 'f' },
          syslog: { class: 'logging.handlers.SysLogHandler', address: ['127.0.0.1', 5514], facility: 'local3' },
        },
        root: { handlers: ['console'] },
      }),
    );
    const setup = readLoggerConfig(file);
    assert.deepEqual(setup.handlers.get('console')?.options, { cls: 'StreamHandler', stream: 'stdout' });
    assert.equal(setup.handlers.get('console')?.level, WARNING);
    assert.deepEqual(setup.handlers.get('rotating')?.options, {
      cls: 'RotatingFileHandler', filename: 'r.log', mode: 'a', delay: false, maxBytes: 100, backupCount: 3,
    });
    assert.deepEqual(setup.handlers.get('syslog')?.options, {
      cls: 'SysLogHandler', address: { kind: 'udp', host: '127.0.0.1', port: 5514 }, facility: 19,
    });
    assert.equal(setup.handlers.get('watched')?.options.cls, 'WatchedFileHandler');
    assert.equal(setup.loggers[0].level, null);
  });

  it('fileConfig args are Python expressions: sys.stderr, tuples, SysLogHandler constants', () => {
    const file = path.join(dir, 'l.ini');
    fs.writeFileSync(
      file,
      `[loggers]\nkeys=root\n[handlers]\nkeys=err,sys,rot\n[formatters]\nkeys=\n` +
        `[logger_root]\nlevel=INFO\nhandlers=err,sys\n` +
        `[handler_err]\nclass=StreamHandler\nargs=(sys.stderr,)\n` +
        `[handler_sys]\nclass=handlers.SysLogHandler\nargs=(('localhost', handlers.SYSLOG_UDP_PORT), handlers.SysLogHandler.LOG_DAEMON)\n` +
        `[handler_rot]\nclass=logging.handlers.RotatingFileHandler\nargs=('r.log',)\nkwargs={'maxBytes': 10, 'backupCount': 2}\n`,
    );
    const setup = readLoggerConfig(file);
    assert.deepEqual(setup.handlers.get('err')?.options, { cls: 'StreamHandler', stream: 'stderr' });
    assert.deepEqual(setup.handlers.get('sys')?.options, {
      cls: 'SysLogHandler', address: { kind: 'udp', host: 'localhost', port: 514 }, facility: 3,
    });
    assert.equal((setup.handlers.get('rot')?.options as { maxBytes: number }).maxBytes, 10);
    assert.deepEqual(setup.loggers, [{ name: 'root', level: INFO, handlers: ['err', 'sys'], propagate: true }]);
  });

  it('reads Python literals', () => {
    assert.deepEqual(parsePyLiteral(`('a\\tb', "c" 'd', 1, -2.5, 0x10, True, None, [1], {'k': (2,)})`, 'x'), [
      'a\tb', 'cd', 1, -2.5, 16, true, null, [1], { k: [2] },
    ]);
    assert.throws(() => parsePyLiteral('(os.system("x"),)', 'f.ini [handler_h] args'), /f\.ini \[handler_h\] args: unsupported name 'os\.system'/);
  });

  const broken: Array<[string, string, string, RegExp]> = [
    ['unknown extension', 'l.conf', 'x', /not in a recognized format: the name should end in \.ini, \.json, \.yaml or \.yml/],
    ['no version', 'l.json', '{}', /'version' is missing/],
    ['unknown class', 'l.json', '{"version":1,"handlers":{"h":{"class":"logging.NullHandler"}}}', /handler 'h': unsupported handler class "logging\.NullHandler"/],
    ['unknown handler kwarg', 'l.json', '{"version":1,"handlers":{"h":{"class":"logging.FileHandler","filename":"x","when":"D"}}}', /handler 'h': FileHandler does not take 'when'/],
    ['unknown handler reference', 'l.json', '{"version":1,"root":{"handlers":["nope"]}}', /root: unknown handler 'nope'/],
    ['unknown formatter reference', 'l.json', '{"version":1,"handlers":{"h":{"class":"logging.StreamHandler","formatter":"f"}}}', /handler 'h': unknown formatter 'f'/],
    ['bad YAML', 'l.yaml', 'version: [1', /not valid YAML/],
    ['ini without root', 'l.ini', '[loggers]\nkeys=circus\n', /\[loggers\] keys: must list 'root'/],
    ['ini missing handler section', 'l.ini', '[loggers]\nkeys=root\n[handlers]\nkeys=h\n[logger_root]\nhandlers=h\n', /section \[handler_h\] is missing/],
  ];
  for (const [what, name, text, expected] of broken) {
    it(`reports ${what} naming the file`, () => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, text);
      assert.throws(() => readLoggerConfig(file), (e: unknown) => {
        assert.ok(e instanceof LoggingConfigError);
        assert.ok(e.message.includes(file), e.message);
        assert.match(e.message, expected);
        return true;
      });
    });
  }

  it('a missing logger config file is a clear error', () => {
    assert.throws(() => readLoggerConfig(path.join(dir, 'none.yaml')), /cannot read the logger configuration file '.*none\.yaml'/);
  });
});

describe('cli/logging: default set-up and log outputs', () => {
  let dir: string;
  let manager: LogManager | null;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'circusd-logout-'));
    manager = null;
  });

  afterEach(async () => {
    if (manager) await manager.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('parses outputs: console names, files, syslog URLs', () => {
    assert.deepEqual(parseLogOutput('-'), { kind: 'console' });
    assert.deepEqual(parseLogOutput('stdout'), { kind: 'console' });
    assert.deepEqual(parseLogOutput('stderr'), { kind: 'console' });
    assert.deepEqual(parseLogOutput('logs/c.log'), { kind: 'file', path: 'logs/c.log' });
    assert.deepEqual(parseLogOutput('syslog://127.0.0.1:5140?local0'), {
      kind: 'syslog', address: { kind: 'udp', host: '127.0.0.1', port: 5140 }, facility: 16,
    });
    assert.deepEqual(parseLogOutput('syslog://loghost'), {
      kind: 'syslog', address: { kind: 'udp', host: 'loghost', port: 514 }, facility: 1,
    });
    assert.deepEqual(parseLogOutput('syslog://[::1]:600?nosuch'), {
      kind: 'syslog', address: { kind: 'udp', host: '::1', port: 600 }, facility: 1,
    });
    assert.deepEqual(parseLogOutput('syslog:///dev/log?daemon'), {
      kind: 'syslog', address: { kind: 'unix', path: '/dev/log' }, facility: 3,
    });
  });

  it('a file output gets Circus lines at the configured level', async () => {
    const out = path.join(dir, 'circus.log');
    manager = await configureLogging({ output: out, level: 'warning' });
    const log = manager.getLogger('circus');
    log.info('not at warning');
    log.warning('Failed to create watcher');
    const text = fs.readFileSync(out, 'utf8');
    assert.match(text, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d circus\[\d+\] \[WARNING\] Failed to create watcher\n$/);
  });

  it('an unknown level means INFO', async () => {
    const out = path.join(dir, 'circus.log');
    manager = await configureLogging({ output: out, level: 'chatty' });
    assert.equal(manager.root.level, INFO);
  });

  it('a file output in a missing directory is a clear error', async () => {
    await assert.rejects(configureLogging({ output: path.join(dir, 'no', 'c.log') }), (e: unknown) => {
      assert.ok(e instanceof LoggingConfigError);
      assert.equal(e.code, 'CIRCUSD_LOG_OUTPUT');
      assert.match(e.message, /cannot open the log output '.*no\/c\.log'/);
      return true;
    });
  });

  it("'default' as logger config means the Circus set-up", async () => {
    const out = path.join(dir, 'd.log');
    manager = await configureLogging({ output: out, loggerConfig: 'default', level: 'debug' });
    assert.equal(manager.root.level, DEBUG);
    assert.equal(manager.root.handlers.length, 1);
  });
});
