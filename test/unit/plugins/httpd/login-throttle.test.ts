import { strict as assert } from 'node:assert';
import { LoginThrottle } from '../../../../plugins/httpd/login-throttle';

describe('plugins/httpd/login-throttle: failures per client address', () => {
  let now = 1_000_000;
  const clock = (): number => now;

  it('lets an address fail maxFailures times, then asks it to wait until the window ends', () => {
    const t = new LoginThrottle({ maxFailures: 3, windowMs: 60_000, now: clock });
    for (let i = 0; i < 3; i++) {
      assert.equal(t.retryAfter('10.0.0.1'), 0);
      t.fail('10.0.0.1');
    }
    assert.equal(t.retryAfter('10.0.0.1'), 60);
    assert.equal(t.retryAfter('10.0.0.2'), 0, 'another address is not affected');
    now += 30_000;
    assert.equal(t.retryAfter('10.0.0.1'), 30);
    now += 30_000;
    assert.equal(t.retryAfter('10.0.0.1'), 0, 'the window has passed');
  });

  it('forgets the failures of an address at its successful login', () => {
    const t = new LoginThrottle({ maxFailures: 2, now: clock });
    t.fail('a');
    t.succeed('a');
    t.fail('a');
    assert.equal(t.retryAfter('a'), 0);
  });

  it('keeps at most maxAddresses entries (the least recently failed goes first)', () => {
    const t = new LoginThrottle({ maxFailures: 1, maxAddresses: 3, now: clock });
    for (const a of ['a', 'b', 'c', 'd']) t.fail(a);
    assert.equal(t.retryAfter('a'), 0, 'a was evicted');
    for (const a of ['b', 'c', 'd']) assert.ok(t.retryAfter(a) > 0, a);
  });
});
