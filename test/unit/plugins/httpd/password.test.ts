import { strict as assert } from 'node:assert';
import { PASSWORD_HASH_PATTERN } from '../../../../kernel';
import { HttpdConfigError } from '../../../../plugins/httpd/errors';
import { DEFAULT_SCRYPT_COST, hashPassword, PasswordVerifier } from '../../../../plugins/httpd/password';

describe('plugins/httpd/password: scrypt hashes of the panel password', () => {
  it('writes scrypt$N$r$p$salt$hash in the form the config loader accepts, with the default cost', async () => {
    const hash = await hashPassword('s3cret');
    assert.match(hash, PASSWORD_HASH_PATTERN);
    assert.ok(hash.startsWith(`scrypt$${DEFAULT_SCRYPT_COST.N}$${DEFAULT_SCRYPT_COST.r}$${DEFAULT_SCRYPT_COST.p}$`));
  });

  it('uses a fresh salt each time: the same password never gives the same line', async () => {
    const cost = { N: 1024, r: 8, p: 1 };
    assert.notEqual(await hashPassword('same', cost), await hashPassword('same', cost));
  });

  it('verifies the right password and refuses others (empty, prefix, longer, other case)', async () => {
    const verifier = new PasswordVerifier(await hashPassword('Correct horse', { N: 1024, r: 8, p: 1 }));
    assert.equal(await verifier.verify('Correct horse'), true);
    for (const wrong of ['', 'Correct', 'Correct horse ', 'correct horse']) assert.equal(await verifier.verify(wrong), false, wrong);
    // The remembered good password does not let another in.
    assert.equal(await verifier.verify('Correct horse'), true);
    assert.equal(await verifier.verify('nope'), false);
  });

  it('refuses a line that is not a hash (a password pasted by mistake) with HttpdConfigError naming the option', () => {
    assert.throws(() => new PasswordVerifier('hunter2'), (e: unknown) => e instanceof HttpdConfigError && /httpd_password_hash/.test(e.message));
  });
});
