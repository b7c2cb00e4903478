/**
 * The panel's password (or token), stored only as an scrypt hash in
 * `[circus] httpd_password_hash`: `scrypt$N$r$p$<salt base64>$<hash base64>`,
 * hash = scrypt(password, salt, 32, {N, r, p}). `circushttpd hash-password`
 * writes it; the panel checks a login or a Bearer token against it in
 * constant time.
 */
import { createHash, randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { PASSWORD_HASH_PATTERN } from '../../kernel/index';
import { HttpdConfigError } from './errors';

/** The cost parameters `hashPassword` uses by default (about 16 MiB and a few tens of ms per check). */
export const DEFAULT_SCRYPT_COST = Object.freeze({ N: 16384, r: 8, p: 1 });

/** Length of the derived key, in bytes. */
const KEY_LENGTH = 32;

function scrypt(password: string, salt: Buffer, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  // Node refuses above 32 MiB by default; the hash's own cost decides (128 * N * r bytes, doubled for headroom).
  const options: ScryptOptions = { N: cost.N, r: cost.r, p: cost.p, maxmem: 256 * cost.N * cost.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scryptCallback(password, salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/**
 * Hashes a password into the `httpd_password_hash` form with a fresh
 * 16-byte salt. Resolves with the line to paste into the config.
 */
export async function hashPassword(password: string, cost: { N: number; r: number; p: number } = DEFAULT_SCRYPT_COST): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, cost);
  return `scrypt$${cost.N}$${cost.r}$${cost.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** Checks candidates against one stored hash. */
export class PasswordVerifier {
  private readonly cost: { N: number; r: number; p: number };
  private readonly salt: Buffer;
  private readonly key: Buffer;
  /**
   * SHA-256 of the last password that verified: a script sending its Bearer
   * token on every request then costs one hash, not one scrypt run, each.
   */
  private lastGood: Buffer | null = null;

  /** Throws HttpdConfigError when `hash` is not in the `scrypt$N$r$p$salt$hash` form. */
  constructor(hash: string) {
    const m = PASSWORD_HASH_PATTERN.exec(hash.trim());
    if (!m) {
      throw new HttpdConfigError('httpd_password_hash: not a password hash: expected scrypt$N$r$p$salt$hash as written by "circushttpd hash-password"');
    }
    this.cost = { N: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
    this.salt = Buffer.from(m[4], 'base64');
    this.key = Buffer.from(m[5], 'base64');
  }

  /** Resolves true when `password` is the one hashed; never rejects for a wrong password. */
  async verify(password: string): Promise<boolean> {
    const digest = createHash('sha256').update(password, 'utf8').digest();
    if (this.lastGood !== null && timingSafeEqual(digest, this.lastGood)) return true;
    const key = await scrypt(password, this.salt, this.cost);
    const ok = key.length === this.key.length && timingSafeEqual(key, this.key);
    if (ok) this.lastGood = digest;
    return ok;
  }
}
