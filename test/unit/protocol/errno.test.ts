import 'reflect-metadata';
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import {
  AlreadyExistsError,
  ArgumentError,
  ConflictError,
  MissingPropertyError,
  NotFoundError,
  SpawnError,
  SyscallError,
} from '../../../kernel';
import { ERRNO_NAMES, Errno, mapError, unknownCommand } from '../../../protocol/errno';

const raw = Buffer.from('{"command": "add", "properties": {"name": "t1"}}');
const map = (err: unknown) => mapError(err, raw);

describe('protocol/errno: the errno table and the one error mapping (spec/protocol.md 1.7)', () => {
  it('has Circus errno values and names', () => {
    assert.deepEqual(Object.values(Errno), [0, 1, 2, 3, 4, 5, 6]);
    assert.equal(ERRNO_NAMES[6], 'BAD_MSG_DATA_ERROR');
    assert.deepEqual(unknownCommand("Fooé'"), { errno: 2, reason: `unknown command: "Fooé'"`, tb: null });
  });

  it('errno 3: missing property, unknown watcher (name as sent), message errors', () => {
    assert.deepEqual(map(new MissingPropertyError('get', 'keys')), { errno: 3, reason: "message invalid 'keys' is missing", tb: null });
    assert.deepEqual(map(new NotFoundError('watcher', 'WeB')), { errno: 3, reason: 'program WeB not found', tb: null });
    assert.deepEqual(map(new ArgumentError('signal invalid')), { errno: 3, reason: 'signal invalid', tb: null });
    assert.deepEqual(map(new AlreadyExistsError('watcher', 'x')), { errno: 3, reason: "watcher 'x' already exists", tb: null });
    assert.deepEqual(map({ code: 'E_MESSAGE', message: 'm' }), { errno: 3, reason: 'm', tb: null });
    const tagged = Object.assign(new Error('uid does not match endpoint_owner'), { circusErrno: 3 });
    assert.deepEqual(map(tagged), { errno: 3, reason: 'uid does not match endpoint_owner', tb: null });
  });

  it('errno 5 with tb null for a lock conflict', () => {
    assert.deepEqual(map(new ConflictError('foo')), { errno: 5, reason: 'arbiter is already running foo command', tb: null });
  });

  it('errno 4 with Python str(OSError) for system errors', () => {
    let nodeErr: unknown;
    try {
      readFileSync('/nonexistent-circus-ts');
    } catch (err) {
      nodeErr = err;
    }
    assert.deepEqual(map(nodeErr), { errno: 4, reason: "[Errno 2] No such file or directory: '/nonexistent-circus-ts'", tb: null });
    assert.deepEqual(map(Object.assign(new Error('kill EPERM'), { errno: -1, code: 'EPERM', syscall: 'kill' })), {
      errno: 4,
      reason: '[Errno 1] Operation not permitted',
      tb: null,
    });
    assert.deepEqual(map(new SyscallError('bind', 98, 'EADDRINUSE', 'Address already in use')), {
      errno: 4,
      reason: '[Errno 98] Address already in use',
      tb: null,
    });
    assert.deepEqual(map(new SpawnError("[Errno 2] No such file or directory: 'nope'")), {
      errno: 4,
      reason: "[Errno 2] No such file or directory: 'nope'",
      tb: null,
    });
  });

  it('errno 5 "command <bytes repr>: <message>" with the stack for anything else', () => {
    const err = new Error("'t1' already exist");
    const r = map(err);
    assert.equal(r.errno, 5);
    assert.equal(r.reason, `command b'{"command": "add", "properties": {"name": "t1"}}': 't1' already exist`);
    assert.equal(r.tb, err.stack);
    assert.equal(map(new NotFoundError('command', 'x')).errno, 5);
    assert.deepEqual(map('plain'), { errno: 5, reason: `command ${"b'" + raw.toString() + "'"}: plain`, tb: null });
    assert.equal(map({ code: 'E_COMMAND', message: 'signal FOO' }).errno, 5);
  });
});
