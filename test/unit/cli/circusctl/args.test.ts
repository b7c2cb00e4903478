/**
 * circusctl's argparse-compatible parsing. Expected outputs were produced by
 * Python 3.11's argparse configured as Circus 0.19.0's circusctl.
 */
import { strict as assert } from 'node:assert';
import { EarlyExit, UsageError, parseArguments } from '../../../../cli/circusctl/argparse';
import { COMMANDS } from '../../../../cli/circusctl/commands/index';
import { globalHelp, subHelp } from '../../../../cli/circusctl/help-text';

const USAGE = 'usage: circusctl [options] command [args]\n';

function usageError(argv: string[]): string {
  try {
    parseArguments(argv, COMMANDS);
  } catch (error) {
    if (error instanceof UsageError) return error.text();
    throw error;
  }
  throw new Error(`no usage error for ${argv.join(' ')}`);
}

function parsed(argv: string[]): { command?: string | null; args: readonly string[]; switches: object; globals: object } {
  const p = parseArguments(argv, COMMANDS);
  return { command: p.command === undefined || p.command === null ? p.command : p.command.name, args: p.args, switches: p.switches, globals: p.globals };
}

describe('cli/circusctl argparse', () => {
  it('an unknown word without a command is an unrecognized argument (exit 2 text)', () => {
    assert.equal(usageError(['foo']), `${USAGE}circusctl: error: unrecognized arguments: foo\n`);
  });

  it('positionals of a sub-command must be contiguous', () => {
    assert.deepEqual(parsed(['signal', '--children', 'web', 'usr1']).args, ['web', 'usr1']);
    assert.deepEqual(parsed(['signal', 'web', 'usr1', '--children']).switches, { children: true, recursive: false });
    assert.equal(usageError(['signal', 'web', '--children', 'usr1']), `${USAGE}circusctl: error: unrecognized arguments: usr1\n`);
    assert.equal(usageError(['stats', 'web', '--extended', '123']), `${USAGE}circusctl: error: unrecognized arguments: 123\n`);
  });

  it('global options go before the command only', () => {
    assert.equal(usageError(['--json', 'list', 'web', '--timeout', '3']), `${USAGE}circusctl: error: unrecognized arguments: --timeout 3\n`);
    assert.equal(usageError(['--bogus', 'list']), `${USAGE}circusctl: error: unrecognized arguments: --bogus\n`);
  });

  it('--timeout is an integer', () => {
    assert.equal(usageError(['--timeout', '0.5', 'list']), `${USAGE}circusctl: error: argument --timeout: invalid int value: '0.5'\n`);
    assert.equal(usageError(['--timeout']), `${USAGE}circusctl: error: argument --timeout: expected one argument\n`);
    assert.equal((parsed(['--timeout', ' 7 ', 'list']).globals as { timeout: number }).timeout, 7);
  });

  it('accepts unique prefixes and --opt=value, rejects ambiguous prefixes', () => {
    const p = parsed(['--ti', '3', '--js', 'stop', 'a', '--wait', '--ma=x']);
    assert.equal((p.globals as { timeout: number }).timeout, 3);
    assert.equal((p.globals as { json: boolean }).json, true);
    assert.deepEqual(p.switches, { waiting: true, match: 'x' });
    assert.equal(usageError(['--s', 'x', 'list']), `${USAGE}circusctl: error: ambiguous option: --s could match --server-key, --ssh, --ssh_keyfile\n`);
  });

  it('an error inside a sub-command uses its own usage and prog', () => {
    assert.equal(
      usageError(['stop', '--match']),
      'usage: circusctl [options] command [args] stop [-h] [--waiting]\n' +
        '                                               [--match MATCH]\n' +
        'circusctl [options] command [args] stop: error: argument --match: expected one argument\n',
    );
  });

  it('an invalid command choice lists the commands', () => {
    assert.match(usageError(['foo', 'list']), /circusctl: error: argument command: invalid choice: 'foo' \(choose from 'add', /);
  });

  it('--version prints circusctl 0.19.0; <cmd> -h prints argparse sub-help', () => {
    assert.throws(() => parseArguments(['--version', 'list'], COMMANDS), (e: unknown) => e instanceof EarlyExit && e.output === 'circusctl 0.19.0\n');
    assert.throws(() => parseArguments(['list', '-h'], COMMANDS), (e: unknown) => e instanceof EarlyExit && e.output === subHelp(COMMANDS.get('list')!));
  });

  it('sub-help of kill is laid out as argparse does', () => {
    assert.equal(
      subHelp(COMMANDS.get('kill')!),
      'usage: circusctl [options] command [args] kill [-h] [--waiting]\n' +
        '                                               [--signum SIGNUM]\n' +
        '                                               [--graceful_timeout GRACEFUL_TIMEOUT]\n\n' +
        'options:\n' +
        '  -h, --help            show this help message and exit\n' +
        '  --waiting             Waiting the real end of the process\n' +
        '  --signum SIGNUM       overrides the watcher\'s stop_signal (number or name)\n' +
        '  --graceful_timeout GRACEFUL_TIMEOUT\n' +
        "                        overrides the watcher's graceful_timeout\n",
    );
    assert.equal(subHelp(COMMANDS.get('list')!), 'usage: circusctl [options] command [args] list [-h]\n\noptions:\n  -h, --help  show this help message and exit\n');
  });

  it('--help lists every command with its summary', () => {
    const lines = globalHelp(COMMANDS.values()).split('\n');
    assert.equal(lines[0], 'usage: circusctl [options] command [args]');
    assert.equal(lines[2], 'Controls a Circus daemon');
    assert.equal(lines[4], 'Commands:');
    assert.equal(lines[5], '  add                   Add a watcher');
    // keygen (ours) is listed among Circus's commands, so stop moved down a line.
    assert.equal(lines[30], '  stop                  Stop watchers');
    assert.ok(lines.includes('  --ssh_keyfile SSH_KEYFILE'));
    assert.equal(parsed(['--help', 'add']).command, 'add');
  });

  it('--endpoint swallowing a command name leaves no command (null)', () => {
    assert.equal(parsed(['--endpoint', 'list']).command, null);
    assert.equal(parsed([]).command, undefined);
  });
});
