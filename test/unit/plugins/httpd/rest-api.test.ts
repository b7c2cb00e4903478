import { strict as assert } from 'node:assert';
import { HttpRequestError } from '../../../../plugins/httpd/errors';
import { API_COMMANDS, checkCommand, parseCommandRoute, queryProperties, READ_ONLY_COMMANDS } from '../../../../plugins/httpd/rest-api';

const status = (fn: () => unknown): number => {
  try {
    fn();
  } catch (err) {
    if (err instanceof HttpRequestError) return err.status;
    throw err;
  }
  return 200;
};

describe('plugins/httpd/rest-api: routes, commands and properties', () => {
  it('parses daemon and first-daemon command paths, URL-decoded', () => {
    assert.deepEqual(parseCommandRoute('/api/daemons/web%201/commands/status'), { daemon: 'web 1', command: 'status' });
    assert.deepEqual(parseCommandRoute('/api/commands/stop'), { daemon: null, command: 'stop' });
    assert.equal(parseCommandRoute('/api/daemons/x/commands/'), null);
    assert.equal(parseCommandRoute('/api/daemons/x/commands/a/b'), null);
    assert.equal(parseCommandRoute('/api/other'), null);
    assert.equal(status(() => parseCommandRoute('/api/commands/%E0%A4%A')), 400);
  });

  it('runs every Circus command but listen and ipython', () => {
    const circus = ['add', 'decr', 'dstats', 'get', 'globaloptions', 'incr', 'kill', 'list', 'listsockets', 'numprocesses', 'numwatchers', 'options', 'quit', 'reload', 'reloadconfig', 'restart', 'rm', 'set', 'signal', 'start', 'stats', 'status', 'stop'];
    assert.deepEqual([...API_COMMANDS].sort(), circus.sort());
    assert.equal(status(() => checkCommand('listen', 'POST')), 404);
    assert.equal(status(() => checkCommand('ipython', 'POST')), 404);
    assert.equal(status(() => checkCommand('frobnicate', 'POST')), 404);
  });

  it('allows GET only for the read-only commands (405 with Allow otherwise)', () => {
    for (const c of READ_ONLY_COMMANDS) assert.equal(status(() => checkCommand(c, 'GET')), 200, c);
    for (const c of ['stop', 'start', 'add', 'quit', 'signal']) assert.equal(status(() => checkCommand(c, 'GET')), 405, c);
    assert.equal(status(() => checkCommand('status', 'DELETE')), 405);
    try {
      checkCommand('stop', 'GET');
    } catch (err) {
      assert.equal((err as HttpRequestError).headers.Allow, 'POST');
    }
  });

  it('reads query properties as JSON when they parse, else as strings; keys is always a list', () => {
    assert.deepEqual(queryProperties(new URLSearchParams('name=web&waiting=true&n=3&pid=%5B1%2C2%5D')), { name: 'web', waiting: true, n: 3, pid: [1, 2] });
    assert.deepEqual(queryProperties(new URLSearchParams('name=web&keys=cmd&keys=numprocesses')), { name: 'web', keys: ['cmd', 'numprocesses'] });
    assert.deepEqual(queryProperties(new URLSearchParams('keys=cmd')), { keys: ['cmd'] });
    assert.deepEqual(queryProperties(new URLSearchParams('keys=%5B%22a%22%2C%22b%22%5D')), { keys: ['a', 'b'] });
    assert.deepEqual(queryProperties(new URLSearchParams('')), {});
  });
});
