import * as assert from 'node:assert/strict';
import { argsWithoutDaemon, parseCircusdArgs, type ArgsOutcome } from '../../../cli/circusd/args';

function parse(argv: string[]): { outcome: ArgsOutcome; out: string; err: string } {
  let out = '';
  let err = '';
  const outcome = parseCircusdArgs(argv, '9.8.7', { out: (t) => (out += t), err: (t) => (err += t) });
  return { outcome, out, err };
}

describe('cli/circusd: command line (spec/daemon.md 7.1)', () => {
  it('without a config prints the usage on stdout and exits 0', () => {
    const { outcome, out, err } = parse([]);
    assert.deepEqual(outcome, { kind: 'exit', code: 0 });
    assert.match(out, /^Usage: circusd \[-h\] \[--log-level LEVEL\]/);
    assert.match(out, /--pidfile <FILE>/);
    assert.equal(err, '');
  });

  it('--help prints on stdout, exit 0; --version prints our version, exit 0', () => {
    const help = parse(['--help']);
    assert.deepEqual(help.outcome, { kind: 'exit', code: 0 });
    assert.match(help.out, /--log-output <OUTPUT>/);
    const version = parse(['--version']);
    assert.deepEqual(version.outcome, { kind: 'exit', code: 0 });
    assert.equal(version.out, '9.8.7\n');
  });

  it('reads every option', () => {
    const { outcome } = parse(['--log-level', 'DEBUG', '--log-output', 'x.log', '--logger-config', 'l.yaml', '--daemon', '--pidfile', 'c.pid', 'circus.ini']);
    assert.deepEqual(outcome, {
      kind: 'run',
      args: { config: 'circus.ini', logLevel: 'DEBUG', logOutput: 'x.log', loggerConfig: 'l.yaml', daemon: true, pidfile: 'c.pid', printConfig: false },
    });
    const pc = parse(['--print-config', 'c.ini']);
    assert.equal(pc.outcome.kind === 'run' && pc.outcome.args.printConfig, true);
  });

  it('accepts the five levels in lower or upper case only', () => {
    for (const level of ['critical', 'error', 'warning', 'info', 'debug', 'CRITICAL', 'INFO']) {
      assert.equal(parse(['--log-level', level, 'c.ini']).outcome.kind, 'run', level);
    }
    const { outcome, err, out } = parse(['--log-level', 'Debug', 'c.ini']);
    assert.deepEqual(outcome, { kind: 'exit', code: 2 });
    assert.equal(out, '');
    assert.match(err, /^usage: circusd /);
    assert.match(err, /'Debug' is invalid/);
    assert.match(err, /critical, error, warning, info, debug, CRITICAL, ERROR, WARNING, INFO, DEBUG/);
  });

  it('an unknown option or an extra argument is a usage error, exit 2', () => {
    const unknown = parse(['--fd', '3', 'c.ini']);
    assert.deepEqual(unknown.outcome, { kind: 'exit', code: 2 });
    assert.match(unknown.err, /unknown option '--fd'/);
    assert.deepEqual(parse(['a.ini', 'b.ini']).outcome, { kind: 'exit', code: 2 });
  });

  it('rebuilds the command line without --daemon for the daemon', () => {
    const { outcome } = parse(['--daemon', '--pidfile', 'p', '--log-level', 'info', '-weird.ini']);
    assert.ok(outcome.kind === 'exit', 'a config starting with - needs --');
    const ok = parse(['--daemon', '--pidfile', 'p', '--log-level', 'info', '--', '-weird.ini']);
    assert.ok(ok.outcome.kind === 'run');
    assert.deepEqual(argsWithoutDaemon(ok.outcome.args), ['--log-level', 'info', '--pidfile', 'p', '--', '-weird.ini']);
  });
});
