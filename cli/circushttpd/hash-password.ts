/**
 * `circushttpd hash-password`: reads the panel's password (one line of
 * stdin, or a prompt without echo on a terminal, asked twice) and prints
 * the `scrypt$...` line to put in `[circus] httpd_password_hash` (or give
 * to `circushttpd --password-hash`). Only the hash goes to stdout.
 */
import { errorMessage } from '../../kernel/index';
import { hashPassword } from '../../plugins/httpd/index';

/** What the command reads from: process.stdin in the program, a stream in tests. */
export interface PasswordSource {
  readonly isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  on(event: 'end' | 'close', listener: () => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  removeAllListeners(event?: string): unknown;
  resume(): unknown;
  pause(): unknown;
}

/** Where the command writes. */
export interface HashPasswordIO {
  out(text: string): void;
  err(text: string): void;
  readonly stdin: PasswordSource;
}

/** Longest password read (a pasted token fits; a runaway pipe does not fill memory). */
const MAX_PASSWORD_BYTES = 4096;

class Cancelled extends Error {}

/** Reads the first line of a non-terminal stdin (without its line end). */
export function readFirstLine(stdin: PasswordSource): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const finish = (fn: () => void): void => {
      stdin.removeAllListeners('data');
      stdin.removeAllListeners('end');
      stdin.removeAllListeners('error');
      stdin.pause();
      fn();
    };
    stdin.on('data', (chunk) => {
      text += chunk.toString();
      const nl = text.indexOf('\n');
      if (nl >= 0) finish(() => resolve(text.slice(0, nl).replace(/\r$/, '')));
      else if (text.length > MAX_PASSWORD_BYTES) finish(() => reject(new Error(`the password is longer than ${MAX_PASSWORD_BYTES} characters`)));
    });
    stdin.on('end', () => finish(() => resolve(text.replace(/\r$/, ''))));
    stdin.on('error', (err) => finish(() => reject(err)));
    stdin.resume();
  });
}

/** Asks for a password on a terminal without echoing it. Rejects Cancelled on Ctrl-C. */
function prompt(stdin: PasswordSource, err: (text: string) => void, question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const finish = (fn: () => void): void => {
      stdin.removeAllListeners('data');
      stdin.setRawMode?.(false);
      stdin.pause();
      err('\n');
      fn();
    };
    err(question);
    stdin.setRawMode?.(true);
    stdin.on('data', (chunk) => {
      for (const ch of chunk.toString()) {
        if (ch === '\r' || ch === '\n') return finish(() => resolve(text));
        if (ch === '\u0003') return finish(() => reject(new Cancelled('cancelled')));
        if (ch === '\u0004' && text === '') return finish(() => resolve(''));
        if (ch === '\u007f' || ch === '\b') text = text.slice(0, -1);
        else if (ch >= ' ' && text.length < MAX_PASSWORD_BYTES) text += ch;
      }
    });
    stdin.resume();
  });
}

/** Runs `circushttpd hash-password`; resolves with the exit status. */
export async function runHashPassword(io: HashPasswordIO): Promise<number> {
  let password: string;
  try {
    if (io.stdin.isTTY) {
      password = await prompt(io.stdin, io.err, 'Password: ');
      const again = await prompt(io.stdin, io.err, 'Repeat password: ');
      if (again !== password) {
        io.err('circushttpd: the two passwords differ: nothing written\n');
        return 1;
      }
    } else {
      password = await readFirstLine(io.stdin);
    }
  } catch (err) {
    if (err instanceof Cancelled) return 130;
    io.err(`circushttpd: cannot read the password: ${errorMessage(err)}\n`);
    return 1;
  }
  if (password === '') {
    io.err('circushttpd: the password is empty: nothing written\n');
    return 1;
  }
  io.out(`${await hashPassword(password)}\n`);
  if (io.stdin.isTTY) io.err('Put this line in [circus] httpd_password_hash (or pass it to circushttpd --password-hash).\n');
  return 0;
}
