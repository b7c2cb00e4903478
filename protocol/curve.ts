/**
 * CURVE key files in pyzmq's certificate format (`zmq.auth.create_certificates`
 * / `load_certificate`), so Python tools read ours and we read theirs:
 * `NAME.key` holds the public key (mode 0644), `NAME.key_secret` the public
 * and the secret key (mode 0600). Keys are Z85 text, 40 characters.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { curveKeyPair } from 'zeromq';
import { z85Decode, z85Encode } from './z85';

/** A CURVE key pair, both keys in Z85 (40 characters). */
export interface CurveKeyPair {
  readonly publicKey: string;
  readonly secretKey: string;
}

/** What a client takes to speak CURVE: the server's public key and its own pair. */
export interface ClientCurve {
  readonly serverKey: string;
  readonly keys: CurveKeyPair;
}

/** A key file or key text is missing, unreadable or malformed; the message names the file. */
export class CurveKeyError extends Error {
  /** Stable identifier (protocol/ cannot import the kernel's CircusError family). */
  readonly code = 'E_CURVE_KEY';
  constructor(message: string, readonly file?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CurveKeyError';
  }
}

/** A key file is a few hundred bytes; the bound keeps a wrong path (a log, a device) from being slurped. */
const MAX_KEY_FILE = 64 * 1024;

/** True when `s` is a CURVE key in Z85: 40 characters of the Z85 alphabet (32 bytes). */
export function isZ85Key(s: string): boolean {
  return typeof s === 'string' && s.length === 40 && z85Decode(s) !== undefined;
}

// PKCS#8 DER prefix of an X25519 private key; the 32 raw bytes follow.
const X25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');

/**
 * The public key (Z85) that belongs to a secret key (Z85). CURVE keys are
 * X25519 keys, so node's crypto derives it; used to catch a .key_secret whose
 * two lines do not belong together (the handshake would fail without a word).
 */
export function publicKeyOf(secretKey: string): string {
  const raw = z85Decode(secretKey);
  if (raw === undefined || raw.length !== 32) throw new CurveKeyError('not a 40-character Z85 secret key');
  const key = createPrivateKey({ key: Buffer.concat([X25519_PKCS8_PREFIX, raw]), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(key).export({ format: 'der', type: 'spki' });
  return z85Encode(spki.subarray(spki.length - 32));
}

interface ParsedKeyFile {
  publicKey?: string;
  secretKey?: string;
}

/** Reads a key file as pyzmq's load_certificate does: `public-key = "..."` / `secret-key = "..."` lines, `#` comments. */
function parseKeyFile(file: string): ParsedKeyFile {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    throw new CurveKeyError(`cannot read key file ${file}: ${reasonOf(error)}`, file, { cause: error });
  }
  if (!stat.isFile()) throw new CurveKeyError(`key file ${file} is not a regular file`, file);
  if (stat.size > MAX_KEY_FILE) throw new CurveKeyError(`key file ${file} is too large (${stat.size} bytes) to be a key file`, file);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new CurveKeyError(`cannot read key file ${file}: ${reasonOf(error)}`, file, { cause: error });
  }
  const parsed: ParsedKeyFile = {};
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line.startsWith('#')) continue;
    for (const [prefix, field] of [['public-key', 'publicKey'], ['secret-key', 'secretKey']] as const) {
      if (!line.startsWith(prefix) || parsed[field] !== undefined) continue;
      const eq = line.indexOf('=');
      if (eq < 0) throw new CurveKeyError(`key file ${file}: ${prefix} line has no '='`, file);
      const value = line.slice(eq + 1).replace(/^[ \t'"]+|[ \t'"]+$/g, '');
      if (!isZ85Key(value)) throw new CurveKeyError(`key file ${file}: ${prefix} is not a 40-character Z85 key`, file);
      parsed[field] = value;
    }
  }
  if (parsed.publicKey === undefined) throw new CurveKeyError(`key file ${file} has no public-key (not a CURVE certificate?)`, file);
  return parsed;
}

/**
 * Reads a `.key_secret` file (a relative path is taken from `baseDir`,
 * default the working directory). Throws {@link CurveKeyError} naming the
 * file when it is missing, holds no secret-key, or its two keys do not match.
 */
export function readKeyPair(given: string, baseDir = '.'): CurveKeyPair {
  const file = resolveIn(baseDir, given);
  const parsed = parseKeyFile(file);
  if (parsed.secretKey === undefined) {
    throw new CurveKeyError(`key file ${file} has no secret-key (a .key file holds only the public key; give the .key_secret file)`, file);
  }
  const publicKey = parsed.publicKey as string;
  if (publicKeyOf(parsed.secretKey) !== publicKey) {
    throw new CurveKeyError(`key file ${file}: public-key does not belong to secret-key`, file);
  }
  return { publicKey, secretKey: parsed.secretKey };
}

/**
 * True when `item` is to be taken as a Z85 key rather than a path. Z85's
 * alphabet holds `/` and `.`, so a 40-character path can look like a key:
 * whatever exists on disk is a path, and so is a name ending in `.key` or
 * `.key_secret` (a misspelt key file must be reported, not used as a key).
 */
function isKeyText(item: string, baseDir: string): boolean {
  return isZ85Key(item) && !/\.key(_secret)?$/.test(item) && !fs.existsSync(path.resolve(baseDir, item));
}

/**
 * A Z85 key is returned as is; anything else is read as a `.key` or
 * `.key_secret` file and its public key returned. A relative path is taken
 * from `baseDir` (default: the working directory), e.g. the INI file's folder.
 */
export function readPublicKey(fileOrKey: string, baseDir = '.'): string {
  if (isKeyText(fileOrKey, baseDir)) return fileOrKey;
  return parseKeyFile(resolveIn(baseDir, fileOrKey)).publicKey as string;
}

/** `file` as given when absolute or when no folder applies, else joined to `baseDir` (messages then show that path). */
function resolveIn(baseDir: string, file: string): string {
  return baseDir === '.' || path.isAbsolute(file) ? file : path.join(baseDir, file);
}

/**
 * The authorized public keys: each item is a Z85 key, a key file, or a
 * directory whose `*.key` files are read (as pyzmq's load_certificates).
 * Duplicates are dropped; a directory without any `.key` file is an error
 * (an authorized-keys directory left empty is almost always a mistake).
 * Relative paths are taken from `baseDir` (default: the working directory);
 * Z85 keys are never touched by it.
 */
export function readAuthorizedKeys(items: readonly string[], baseDir = '.'): string[] {
  const keys = new Set<string>();
  for (const given of items) {
    if (isKeyText(given, baseDir)) {
      keys.add(given);
      continue;
    }
    const item = resolveIn(baseDir, given);
    let isDir = false;
    try {
      isDir = fs.statSync(item).isDirectory();
    } catch (error) {
      throw new CurveKeyError(`cannot read authorized key ${item}: ${reasonOf(error)} (expected a Z85 key, a .key file or a directory)`, item, { cause: error });
    }
    if (!isDir) {
      keys.add(readPublicKey(item));
      continue;
    }
    let names: string[];
    try {
      names = fs.readdirSync(item).filter((n) => n.endsWith('.key')).sort();
    } catch (error) {
      throw new CurveKeyError(`cannot list authorized keys directory ${item}: ${reasonOf(error)}`, item, { cause: error });
    }
    if (names.length === 0) throw new CurveKeyError(`authorized keys directory ${item} holds no *.key file`, item);
    for (const name of names) keys.add(readPublicKey(path.join(item, name)));
  }
  return [...keys];
}

/** A key file's name must stay a plain file name inside the chosen directory. */
function checkName(name: string): void {
  if (name === '' || name === '.' || name === '..' || /[/\\\0]/.test(name)) {
    throw new CurveKeyError(`invalid key name '${name}': give a plain name such as 'server' or 'alice'`);
  }
}

/** `YYYY-MM-DD HH:MM:SS` in local time, as pyzmq's banner (without its microseconds). */
function stamp(now: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())} ${p(now.getHours())}:${p(now.getMinutes())}:${p(now.getSeconds())}`;
}

/** The text of a certificate file, line for line pyzmq's layout. */
export function certificateText(keys: CurveKeyPair, kind: 'public' | 'secret', now = new Date()): string {
  const banner =
    kind === 'secret'
      ? [
          `#   ****  Generated on ${stamp(now)} by circus-ts  ****`,
          '#   ZeroMQ CURVE **Secret** Certificate',
          '#   DO NOT PROVIDE THIS FILE TO OTHER USERS nor change its permissions.',
        ]
      : [
          `#   ****  Generated on ${stamp(now)} by circus-ts  ****`,
          '#   ZeroMQ CURVE Public Certificate',
          '#   Exchange securely, or use a secure mechanism to verify the contents',
          '#   of this file after exchange. Store public certificates in your home',
          '#   directory, in the .curve subdirectory.',
        ];
  const lines = [...banner, '', 'metadata', 'curve', `    public-key = "${keys.publicKey}"`];
  if (kind === 'secret') lines.push(`    secret-key = "${keys.secretKey}"`);
  return lines.join('\n') + '\n';
}

/** Creates `file` with `text` and exactly `mode` (the umask cannot widen or narrow it); never overwrites. */
function writeNew(file: string, text: string, mode: number): void {
  const fd = fs.openSync(file, 'wx', mode);
  try {
    fs.fchmodSync(fd, mode);
    fs.writeSync(fd, text);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Makes a new key pair and writes `DIR/NAME.key` (0644) and
 * `DIR/NAME.key_secret` (0600). The directory is created (0700) when
 * missing. Refuses, writing nothing, when either file exists.
 */
export function writeKeyPair(dir: string, name: string): { publicFile: string; secretFile: string; keys: CurveKeyPair } {
  checkName(name);
  const publicFile = path.join(dir, `${name}.key`);
  const secretFile = path.join(dir, `${name}.key_secret`);
  for (const file of [publicFile, secretFile]) {
    if (fs.existsSync(file)) throw new CurveKeyError(`key file ${file} already exists; refusing to overwrite it`, file);
  }
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new CurveKeyError(`cannot create key directory ${dir}: ${reasonOf(error)}`, dir, { cause: error });
  }
  const keys: CurveKeyPair = curveKeyPair();
  const now = new Date();
  // The secret file first: if the public one then fails, no orphan public key names a lost secret.
  for (const [file, kind, mode] of [[secretFile, 'secret', 0o600], [publicFile, 'public', 0o644]] as const) {
    try {
      writeNew(file, certificateText(keys, kind, now), mode);
    } catch (error) {
      if (file === publicFile) fs.rmSync(secretFile, { force: true });
      const why = (error as NodeJS.ErrnoException).code === 'EEXIST' ? 'already exists; refusing to overwrite it' : `cannot be written: ${reasonOf(error)}`;
      throw new CurveKeyError(`key file ${file} ${why}`, file, { cause: error });
    }
  }
  return { publicFile, secretFile, keys };
}

function reasonOf(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (e?.code === 'ENOENT') return 'no such file or directory';
  if (e?.code === 'EACCES') return 'permission denied';
  return error instanceof Error ? error.message : String(error);
}
