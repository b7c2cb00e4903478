import { strict as assert } from 'node:assert';
import {
  AlreadyExistsError,
  CommandLineError,
  CircusError,
  ConflictError,
  ConstructionError,
  NoHookRunner,
  NotFoundError,
  pyTruthy,
  SpawnError,
} from '../../../kernel';

describe('kernel/hooks/hook-runner', () => {
  it('Python truthiness', () => {
    for (const v of [false, 0, 0.0, '', [], {}, null, undefined, new Map(), NaN]) assert.equal(pyTruthy(v), false, String(v));
    for (const v of [true, 1, -1, 'x', [0], { a: 1 }, () => 0]) assert.equal(pyTruthy(v), true, String(v));
  });

  it('the default runner lets every operation proceed (no hook configured)', async () => {
    const runner = new NoHookRunner();
    assert.equal(await runner.run(), true);
  });
});

describe('kernel/errors', () => {
  it('every error has a stable code and names what failed', () => {
    const errors: [CircusError, string, RegExp][] = [
      [new ConflictError('reload'), 'E_CONFLICT', /^arbiter is already running reload command$/],
      [new NotFoundError('watcher', 'web'), 'E_NOT_FOUND', /watcher 'web' not found/],
      [new AlreadyExistsError('watcher', 'web'), 'E_ALREADY_EXISTS', /watcher 'web' already exists/],
      [new ConstructionError('web', 'bad'), 'E_CONSTRUCTION', /watcher 'web': bad/],
      [new SpawnError("[Errno 2] No such file or directory: 'x'"), 'E_SPAWN', /No such file/],
      [new CommandLineError('No closing quotation'), 'E_COMMAND_LINE', /No closing quotation/],
    ];
    for (const [err, code, message] of errors) {
      assert.ok(err instanceof CircusError && err instanceof Error);
      assert.equal(err.code, code);
      assert.match(err.message, message);
      assert.equal(err.name, err.constructor.name);
    }
  });
});
