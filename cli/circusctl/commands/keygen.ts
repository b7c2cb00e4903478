/**
 * `circusctl keygen [--dir DIR] NAME` (issue 9, a circus-ts addition): writes
 * a CURVE key pair in pyzmq's certificate format, DIR/NAME.key (0644) and
 * DIR/NAME.key_secret (0600), and prints the public key. Runs in circusctl
 * itself; no daemon is involved.
 */
import { ArgumentError } from '../../../kernel/index';
import { writeKeyPair } from '../../../protocol/curve';
import { type CtlCommand, type Reply, makeDoc } from '../command';

export const keygenCommand: CtlCommand = {
  name: 'keygen',
  summary: 'Make a CURVE key pair (NAME.key, NAME.key_secret)',
  doc: makeDoc(
    'Make a CURVE key pair (NAME.key, NAME.key_secret)',
    `
Writes a new CURVE key pair in pyzmq's certificate format: DIR/NAME.key holds
the public key (mode 0644; give it to the other side) and DIR/NAME.key_secret
holds the public and the secret key (mode 0600; keep it private). DIR is
created (mode 0700) when missing; an existing file is never overwritten.
Prints the public key. No daemon is contacted.

Make one pair for circusd ([circus] curve_secret_key) and one per client
(--client-key); put the clients' .key files where [circus]
curve_authorized_keys points, and give the clients the server's .key file
with --server-key. See docs/security.md.

Command line:

    $ circusctl keygen [--dir DIR] NAME

Example:

    $ circusctl keygen --dir keys server
    wrote keys/server.key_secret (secret key, mode 0600: keep it private)
    wrote keys/server.key (public key, mode 0644)
    public key: rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7`,
  ),
  switches: [{ name: 'dir', kind: 'value', default: '.', help: 'Directory to write the two files in (default: .)' }],
  channel: 'local',
  message(args, opts) {
    if (args.length !== 1) throw new ArgumentError('Invalid number of arguments');
    return { name: args[0], dir: typeof opts.dir === 'string' && opts.dir !== '' ? opts.dir : '.' };
  },
  runLocal(props): Reply {
    const { publicFile, secretFile, keys } = writeKeyPair(props.dir as string, props.name as string);
    return { status: 'ok', public_key: keys.publicKey, public_file: publicFile, secret_file: secretFile };
  },
  render(reply) {
    return [
      `wrote ${String(reply.secret_file)} (secret key, mode 0600: keep it private)`,
      `wrote ${String(reply.public_file)} (public key, mode 0644)`,
      `public key: ${String(reply.public_key)}`,
    ].join('\n');
  },
};
