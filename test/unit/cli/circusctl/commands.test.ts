/**
 * Every circusctl command: the exact request properties built from its
 * arguments (spec/protocol.md section 2, "circusctl" bullets) and its
 * console rendering of replies taken from the spec.
 */
import { strict as assert } from 'node:assert';
import { parseArguments } from '../../../../cli/circusctl/argparse';
import { COMMANDS } from '../../../../cli/circusctl/commands/index';
import { parsePyJson } from '../../../../cli/circusctl/py-json';
import { pyJson } from '../../../../protocol/py-json';

/** The properties circusctl sends for `argv`, as Python-style JSON text. */
function request(...argv: string[]): string {
  const p = parseArguments(argv, COMMANDS);
  return pyJson(p.command!.message(p.args, p.switches));
}

function failure(...argv: string[]): string {
  const p = parseArguments(argv, COMMANDS);
  try {
    p.command!.message(p.args, p.switches);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('no failure');
}

function render(name: string, replyJson: string): string {
  return COMMANDS.get(name)!.render(parsePyJson(replyJson) as Record<string, unknown>);
}

describe('cli/circusctl commands: requests', () => {
  const cases: [string[], string][] = [
    [['add', 'web', '--', 'python', '-m', 'http.server'], '{"name": "web", "cmd": "python -m http.server", "start": false}'],
    [['add', '--start', 'web', 'sleep', '1'], '{"name": "web", "cmd": "sleep 1", "start": true}'],
    [['incr', 'web'], '{"name": "web", "waiting": false}'],
    [['incr', 'web', '3', '--waiting'], '{"name": "web", "nb": 3, "waiting": true}'],
    [['decr', 'web', '2'], '{"name": "web", "nb": 2, "waiting": false}'],
    [['dstats'], '{}'],
    [['get', 'web', 'numprocesses', 'env'], '{"name": "web", "keys": ["numprocesses", "env"]}'],
    [['globaloptions'], '{}'],
    [['globaloptions', 'check_delay'], '{"option": "check_delay"}'],
    [['ipython'], '{}'],
    [['kill', 'web'], '{"name": "web"}'],
    [['kill', 'web', '42', '--signum', 'INT', '--graceful_timeout', '0.5', '--waiting'], '{"name": "web", "pid": "42", "signum": "INT", "graceful_timeout": "0.5"}'],
    [['list'], '{}'],
    [['list', 'web'], '{"name": "web"}'],
    [['listen'], '{"topics": [""]}'],
    [['listen', 'watcher.web.', 'watcher.x.'], '{"topics": ["watcher.web.", "watcher.x."]}'],
    [['listsockets', 'ignored'], '{}'],
    [['numprocesses'], '{}'],
    [['numprocesses', 'web'], '{"name": "web"}'],
    [['numwatchers'], '{}'],
    [['options', 'web'], '{"name": "web"}'],
    [['quit'], '{"waiting": false}'],
    [['quit', '--waiting'], '{"waiting": true}'],
    [['reload'], '{"graceful": true, "waiting": false, "sequential": false}'],
    [['reload', 'web', '--terminate', '--sequential', '--waiting'], '{"name": "web", "graceful": false, "waiting": true, "sequential": true}'],
    [['reloadconfig', '--waiting'], '{"waiting": true}'],
    [['restart'], '{"waiting": false, "match": "glob"}'],
    [['restart', 'w*', '--match', 'regex', '--waiting'], '{"name": "w*", "waiting": true, "match": "regex"}'],
    [['start', 'web'], '{"name": "web", "waiting": false, "match": "glob"}'],
    [['stop', 'web', 'extra'], '{"name": "web", "waiting": false, "match": "glob"}'],
    [['rm', 'web', '--nostop', '--waiting'], '{"name": "web"}'],
    [['set', 'web', 'NumProcesses', '3'], '{"name": "web", "options": {"numprocesses": 3}}'],
    [
      ['set', 'web', 'graceful_timeout', '5', 'send_hup', 'Yes', 'stop_signal', 'int', 'hooks', 'before_start:m.f,after_stop:m.g', '--waiting'],
      '{"name": "web", "waiting": true, "options": {"graceful_timeout": 5.0, "send_hup": true, "stop_signal": 2, "hooks": {"before_start": "m.f", "after_stop": "m.g"}}}',
    ],
    [['set', 'web', 'stdout_stream.max_bytes', '10', 'rlimit_nofile', '64', 'cmd', 'sleep 9'], '{"name": "web", "options": {"stdout_stream.max_bytes": 10, "rlimit_nofile": 64, "cmd": "sleep 9"}}'],
    [['signal', 'web', 'usr1'], '{"name": "web", "children": false, "recursive": false, "signum": "usr1"}'],
    [['signal', '--children', '--recursive', 'web', '42', '9'], '{"name": "web", "children": true, "recursive": true, "signum": "9", "pid": 42}'],
    [['stats'], '{"extended": false}'],
    [['stats', '--extended', 'web'], '{"name": "web", "extended": true}'],
    [['stats', 'web', '42'], '{"name": "web", "process": 42, "extended": false}'],
    [['status'], '{}'],
    [['status', 'web'], '{"name": "web"}'],
  ];
  for (const [argv, expected] of cases) {
    it(`circusctl ${argv.join(' ')} -> ${expected}`, () => assert.equal(request(...argv), expected));
  }

  const errors: [string[], string][] = [
    [['add', 'web'], 'Invalid number of arguments'],
    [['incr'], 'Invalid number of arguments'],
    [['dstats', 'x'], 'Invalid message'],
    [['get', 'web'], 'Invalid number of arguments'],
    [['ipython', 'x'], 'Invalid message'],
    [['kill'], 'Invalid number of arguments'],
    [['kill', 'a', 'b', 'c'], 'Invalid number of arguments'],
    [['list', 'a', 'b'], 'Invalid number of arguments'],
    [['numprocesses', 'a', 'b'], 'message invalid'],
    [['numwatchers', 'a'], 'Invalid number of arguments'],
    [['options'], 'number of arguments invalid'],
    [['reload', 'a', 'b'], 'invalid number of arguments'],
    [['restart', 'a', 'b'], 'Invalid number of arguments'],
    [['start', 'a', 'b'], 'Invalid number of arguments'],
    [['rm'], 'Invalid number of arguments'],
    [['set', 'web', 'numprocesses'], 'Invalid number of arguments'],
    [['set', 'web', 'numprocesses', '3', 'shell'], 'List of key/values is invalid'],
    [['set', 'web', 'bogus', '1'], "unknown key 'bogus'"],
    [['signal', 'web'], 'Invalid number of arguments'],
    [['signal', 'a', 'b', 'c', 'd'], 'Invalid number of arguments'],
    [['stats', 'a', 'b', 'c'], 'message invalid'],
    [['status', 'a', 'b'], 'message invalid'],
    [['incr', 'web', 'x'], "ValueError: invalid literal for int() with base 10: 'x'"],
  ];
  for (const [argv, expected] of errors) {
    it(`circusctl ${argv.join(' ')} fails with ${expected}`, () => assert.equal(failure(...argv), expected));
  }
});

describe('cli/circusctl commands: console rendering', () => {
  const info = '{"mem_info1": "9.10M", "mem_info2": "24.30M", "cpu": 0.0, "mem": 0.113, "ctime": "0:00.03", "pid": 4242, "username": "app", "nice": 0, "create_time": 1717171700.1, "age": 17.0, "cmdline": "sleep", "children": [], "started": 1717171700.1, "wid": 1}';
  const cases: [string, string, string][] = [
    ['list', '{"status": "ok", "time": 1.5, "watchers": ["circusd-stats", "web"]}', 'circusd-stats,web'],
    ['list', '{"status": "ok", "time": 1.5, "pids": [4242, 4243]}', '4242,4243'],
    ['list', '{"status": "ok", "time": 1.5, "watchers": []}', ''],
    ['list', '{"status": "error", "reason": "program nope not found", "tb": null, "time": 1.5, "errno": 3}', 'error: program nope not found'],
    ['status', '{"status": "ok", "statuses": {"web": "active", "t1": "stopped", "Beta": "active"}}', 'Beta: active\nt1: stopped\nweb: active'],
    ['status', '{"status": "active", "time": 1.5}', 'active'],
    ['status', '{"status": "error", "reason": "program nope not found", "errno": 3}', 'error'],
    ['incr', '{"status": "ok", "numprocesses": 3}', '3'],
    ['incr', '{"status": "ok"}', 'ok'],
    ['decr', '{"status": "ok", "numprocesses": 1, "singleton": true}', 'This watcher is a Singleton - not changing the number of processes'],
    ['numprocesses', '{"status": "ok", "numprocesses": 2, "watcher_name": "web"}', '2'],
    ['numwatchers', '{"status": "ok", "numwatchers": 4}', '4'],
    ['globaloptions', '{"status": "ok", "options": {"endpoint": "tcp://127.0.0.1:5555", "check_delay": 5.0, "multicast_endpoint": null}}', 'endpoint: tcp://127.0.0.1:5555\ncheck_delay: 5.0\nmulticast_endpoint: '],
    ['globaloptions', '{"status": "ok", "options": {"check_delay": 5}}', 'check_delay: 5.0'],
    ['globaloptions', '{"status": "error", "reason": "\'x\' not an existing option", "errno": 3}', "'x' not an existing option"],
    ['get', '{"status": "ok", "options": {"numprocesses": 2, "env": {"PORT": "8000", "A": "1"}, "args": ["120"], "shell": false, "uid": null, "stdout_stream_conf": {}}}', "numprocesses: 2\nenv: A=1,PORT=8000\nargs: ['120']\nshell: False\nuid: \nstdout_stream_conf: {}"],
    ['options', '{"status": "ok", "options": {"__name__": "watcher:web", "args": "", "env": {}, "graceful_timeout": 30.0, "hooks": {"a": 1.5}, "send_hup": false, "warmup_delay": 0, "stop_signal": 15}}', "__name__: watcher:web\nargs: \nenv: \ngraceful_timeout: 30.0\nhooks: {'a': 1.5}\nsend_hup: False\nwarmup_delay: 0\nstop_signal: 15"],
    ['options', '{"status": "ok", "options": {"graceful_timeout": 30, "warmup_delay": 0.0}}', 'graceful_timeout: 30.0\nwarmup_delay: 0.0'],
    ['stats', `{"status": "ok", "name": "web", "info": {"4242": ${info}, "4243": "No such process (stopped?)"}}`, 'web:\n4242: 4242  sleep app 0 9.10M 24.30M 0.0 0.113 0:00.03\n4243: No such process (stopped?)'],
    ['stats', `{"status": "ok", "infos": {"web": {"4242": ${info}}, "empty": {}}}`, 'web:\n4242: 4242  sleep app 0 9.10M 24.30M 0.0 0.113 0:00.03\nempty:'],
    ['stats', `{"status": "ok", "process": 4242, "info": ${info.replace('"children": []', `"children": [${info.replace('"children": [], ', '')}]`)}}`, '4242: 4242  sleep app 0 9.10M 24.30M 0.0 0.113 0:00.03\n   4242  sleep app 0 9.10M 24.30M 0.0 0.113 0:00.03\n'],
    ['stats', '{"status": "ok", "name": "web", "info": {"1": {"pid": 1, "cmdline": "x", "username": "u", "nice": "Zombie", "mem_info1": "N/A", "mem_info2": "N/A", "cpu": 0, "mem": "N/A", "ctime": "N/A"}}}', 'web:\n1: 1  x u Zombie N/A N/A 0.0 N/A N/A'],
    ['dstats', '{"status": "ok", "time": 1717171717.2, "info": {"mem_info1": "21.45M", "mem_info2": "301.12M", "cpu": 0.0, "mem": 0.27, "ctime": "0:00.41", "pid": 4100, "username": "app", "nice": 0, "create_time": 1717170000.5, "age": 1717.2, "cmdline": "python3", "children": []}}', 'Main Process:\n    4100  python3 app 0 21.45M 301.12M 0.0 0.27 0:00.41'],
    ['listsockets', '{"status": "ok", "sockets": [{"fd": 6, "name": "unix", "backlog": 2048, "path": "/tmp/u.sock"}, {"fd": 7, "name": "web", "backlog": 2048, "host": "127.0.0.1", "port": 25580}]}', "6:socket 'unix' at /tmp/u.sock\n7:socket 'web' at 127.0.0.1:25580"],
    ['ipython', '{"status": "ok", "shell": false, "msg": "not supported"}', 'error: Could not start ipython kernel'],
    ['add', '{"status": "ok", "time": 1.5}', 'ok'],
    ['add', '{"status": "error", "reason": "command b\'{}\': \'web\' already exist", "tb": null, "errno": 5}', "error: command b'{}': 'web' already exist"],
    ['restart', '{"status": "error", "reason": "arbiter is already running foo command", "errno": 5}', 'error: arbiter is already running foo command'],
  ];
  for (const [name, reply, expected] of cases) {
    it(`${name} renders ${reply.slice(0, 60)}...`, () => assert.equal(render(name, reply), expected));
  }

  it('a reply missing a needed key fails like Python (KeyError)', () => {
    assert.throws(() => render('dstats', '{"status": "ok"}'), /KeyError: 'info'/);
  });
});
