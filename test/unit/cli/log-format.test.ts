import * as assert from 'node:assert/strict';
import { CIRCUS_DATE_FORMAT, CIRCUS_LOG_FORMAT, CIRCUS_SYSLOG_DATE_FORMAT, Formatter } from '../../../cli/logging/formatter';
import { StreamHandler } from '../../../cli/logging/stream-handler';
import { LogManager } from '../../../cli/logging/log-manager';
import { CLI_LEVEL_CHOICES, DEBUG, INFO, WARNING, circusLevel, levelName, parseConfigLevel } from '../../../cli/logging/levels';
import { strftime } from '../../../kernel/util/strftime';
import type { LogRecord } from '../../../cli/logging/log-record';
import { LoggingConfigError } from '../../../cli/circusd/errors';

// Local time, so the rendered date is the same in every time zone.
const FIXED = new Date(2024, 4, 1, 12, 0, 7, 42).getTime();

function record(over: Partial<LogRecord> = {}): LogRecord {
  return { name: 'circus', levelno: INFO, levelname: 'INFO', message: 'Arbiter now waiting for commands', created: FIXED, process: 4242, ...over };
}

function collectingManager(): { manager: LogManager; lines: string[] } {
  const lines: string[] = [];
  const manager = new LogManager({ now: () => FIXED, pid: () => 4242 });
  const handler = new StreamHandler('stderr', (text) => lines.push(text));
  handler.formatter = new Formatter(CIRCUS_LOG_FORMAT, CIRCUS_DATE_FORMAT);
  manager.root.handlers = [handler];
  manager.root.level = INFO;
  return { manager, lines };
}

describe('cli/logging: the Circus line format', () => {
  it('renders <date> <logger>[<pid>] [<LEVEL>] <message> with local time and no milliseconds', () => {
    const f = new Formatter(CIRCUS_LOG_FORMAT, CIRCUS_DATE_FORMAT);
    assert.equal(f.formatRecord(record()), '2024-05-01 12:00:07 circus[4242] [INFO] Arbiter now waiting for commands');
  });

  it('uses the syslog date format %b %d %H:%M:%S', () => {
    const f = new Formatter(CIRCUS_LOG_FORMAT, CIRCUS_SYSLOG_DATE_FORMAT);
    assert.equal(f.formatRecord(record({ levelname: 'WARNING', levelno: WARNING, message: 'x' })), 'May 01 12:00:07 circus[4242] [WARNING] x');
  });

  it('logs through the manager with the logger name of a child logger', () => {
    const { manager, lines } = collectingManager();
    const circus = manager.getLogger('circus');
    circus.info('Starting master on pid 4242');
    circus.child('flapping').warning('flapping');
    circus.child('circus.control').error('already under circus');
    circus.debug('hidden at INFO');
    assert.deepEqual(lines, [
      '2024-05-01 12:00:07 circus[4242] [INFO] Starting master on pid 4242\n',
      '2024-05-01 12:00:07 circus.flapping[4242] [WARNING] flapping\n',
      '2024-05-01 12:00:07 circus.control[4242] [ERROR] already under circus\n',
    ]);
  });

  it('Python default asctime has milliseconds after a comma', () => {
    assert.equal(new Formatter('%(asctime)s').formatRecord(record()), '2024-05-01 12:00:07,042');
  });

  it('supports Python %-format flags, width and the other record fields', () => {
    const f = new Formatter('%(levelname)-8s|%(process)6d|%(levelno)03d|%(name).3s|%(msecs)03d|%%|%(message)r');
    assert.equal(f.formatRecord(record({ message: "it's" })), 'INFO    |  4242|020|cir|042|%|\'it\\\'s\'');
  });

  it('rejects an unknown %(field) naming it', () => {
    assert.throws(() => new Formatter('%(lineno)d %(message)s', null, 'x.yaml: formatter f'), (e: unknown) => {
      assert.ok(e instanceof LoggingConfigError);
      assert.match(e.message, /x\.yaml: formatter f: unsupported field %\(lineno\)/);
      return true;
    });
  });
});

describe('cli/logging: strftime', () => {
  it('renders the C-locale directives', () => {
    const d = new Date(2026, 10, 3, 9, 5, 1);
    assert.equal(strftime('%a %A %b %B %d %e %H %I %j %m %M %p %S %y %Y %% %q', d), 'Tue Tuesday Nov November 03  3 09 09 307 11 05 AM 01 26 2026 % %q');
    assert.equal(strftime('%x %X %F %T %w %u', d), '11/03/26 09:05:01 2026-11-03 09:05:01 2 2');
  });

  it('renders %U and %W week numbers', () => {
    // 2026-01-01 is a Thursday: days before the first Sunday/Monday are week 0.
    assert.equal(strftime('%U %W', new Date(2026, 0, 1)), '00 00');
    assert.equal(strftime('%U %W', new Date(2026, 0, 5)), '01 01');
    assert.equal(strftime('%U %W', new Date(2026, 0, 4)), '01 00');
  });
});

describe('cli/logging: levels', () => {
  it('maps the five Circus names in any case; anything else is INFO', () => {
    assert.equal(circusLevel('debug'), DEBUG);
    assert.equal(circusLevel('WARNING'), WARNING);
    assert.equal(circusLevel('Warning'), WARNING);
    assert.equal(circusLevel('verbose'), INFO);
    assert.equal(circusLevel(null), INFO);
  });

  it('offers lower and upper case names to --log-level only', () => {
    assert.ok(CLI_LEVEL_CHOICES.includes('debug'));
    assert.ok(CLI_LEVEL_CHOICES.includes('DEBUG'));
    assert.ok(!CLI_LEVEL_CHOICES.includes('Debug'));
  });

  it('reads config-file levels as names or integers and names the entry on error', () => {
    assert.equal(parseConfigLevel('WARN', 'h'), WARNING);
    assert.equal(parseConfigLevel(15, 'h'), 15);
    assert.equal(parseConfigLevel('15', 'h'), 15);
    assert.equal(levelName(15), 'Level 15');
    assert.throws(() => parseConfigLevel('LOUD', "f.json: handler 'x'"), /f\.json: handler 'x': unknown level "LOUD"/);
  });
});
