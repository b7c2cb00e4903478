/**
 * A real OpenSSH server on loopback for the `circusctl --ssh` tests: sshd
 * runs in the foreground (`-D -e`) as a child of the test, with its own
 * config, host key, authorized_keys and client keys in a temp dir, listening
 * on 127.0.0.1:<free port> only. Nothing outside the temp dir is touched but
 * sshd's privilege-separation dir (/run/sshd), which sshd requires.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { shlexQuote } from '../../../kernel/index';
import { alive, waitFor } from './circusd-harness';

/** Where Debian's openssh-server installs the daemon. */
export const SSHD = '/usr/sbin/sshd';

/** Whether sshd and the OpenSSH client tools are installed. */
export function sshAvailable(): boolean {
  const onPath = (tool: string): boolean =>
    (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir !== '' && fs.existsSync(path.join(dir, tool)));
  return fs.existsSync(SSHD) && onPath('ssh') && onPath('ssh-keygen');
}

/** A free loopback TCP port (the OS picks it; closed again before use). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

/** Every pid on the machine with its parent pid, read from /proc. */
function processTable(): Map<number, number> {
  const table = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      table.set(Number(entry), ppid);
    } catch {
      // The process exited while we listed /proc.
    }
  }
  return table;
}

function cmdline(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** One sshd on loopback with its keys, for one test. */
export class SshServer {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'circusctl-ssh-'));
  /** The private key authorized to log in. */
  readonly clientKey = path.join(this.dir, 'client_key');
  /** A private key that is *not* authorized. */
  readonly wrongKey = path.join(this.dir, 'wrong_key');
  readonly knownHosts = path.join(this.dir, 'known_hosts');
  /** The local user the tests log in as (root in CI). */
  readonly user = os.userInfo().username;
  port = 0;
  private child: ChildProcess | undefined;
  private exited: Promise<void> | undefined;
  private log = '';

  /** What sshd wrote to stderr (`-e`), for failure messages. */
  stderr(): string {
    return this.log;
  }

  /** Generates the keys, writes sshd_config, starts sshd and waits until it accepts connections. */
  async start(): Promise<void> {
    const keygen = (file: string, comment: string): void => {
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file], { stdio: 'ignore' });
    };
    const hostKey = path.join(this.dir, 'host_key');
    keygen(hostKey, 'circusctl-test-host');
    keygen(this.clientKey, 'circusctl-test-client');
    keygen(this.wrongKey, 'circusctl-test-wrong');
    const authorized = path.join(this.dir, 'authorized_keys');
    fs.copyFileSync(`${this.clientKey}.pub`, authorized);
    // sshd refuses to start without its privilege-separation directory.
    fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
    this.port = await freePort();
    const config = path.join(this.dir, 'sshd_config');
    fs.writeFileSync(
      config,
      [
        `Port ${this.port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${hostKey}`,
        `AuthorizedKeysFile ${authorized}`,
        'PermitRootLogin prohibit-password',
        'PubkeyAuthentication yes',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'StrictModes no',
        'UsePAM no',
        'AllowTcpForwarding yes',
        `PidFile ${path.join(this.dir, 'sshd.pid')}`,
        '',
      ].join('\n'),
    );
    const child = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    child.stderr?.on('data', (d: Buffer) => (this.log += d.toString('utf8')));
    this.exited = new Promise((resolve) => child.once('close', () => resolve()));
    const deadline = Date.now() + 15_000;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`sshd exited (${child.exitCode ?? child.signalCode}): ${this.log.trim()}`);
      }
      if (await accepts(this.port)) return;
      if (Date.now() > deadline) throw new Error(`sshd did not listen on 127.0.0.1:${this.port} within 15 s: ${this.log.trim()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /**
   * `$CIRCUSCTL_SSH_OPTIONS` for circusctl: never prompt about the unknown
   * host key, keep it out of ~/.ssh, offer only the `-i` key.
   */
  clientOptions(): string {
    return [
      '-o', 'StrictHostKeyChecking=no',
      '-o', `UserKnownHostsFile=${shlexQuote(this.knownHosts)}`,
      '-o', 'IdentitiesOnly=yes',
      '-o', 'LogLevel=ERROR',
    ].join(' ');
  }

  /**
   * The processes that belong to this server: sshd, its per-connection
   * children, and any ssh client started with one of this dir's files.
   */
  processes(): number[] {
    const table = processTable();
    const found = new Set<number>();
    if (this.child?.pid !== undefined && table.has(this.child.pid)) found.add(this.child.pid);
    for (let grew = true, rounds = 0; grew && rounds < 50; rounds += 1) {
      grew = false;
      for (const [pid, ppid] of table) {
        if (!found.has(pid) && found.has(ppid)) {
          found.add(pid);
          grew = true;
        }
      }
    }
    for (const pid of table.keys()) {
      if (pid !== process.pid && cmdline(pid).includes(this.dir)) found.add(pid);
    }
    return [...found].filter(alive);
  }

  /** Kills sshd, its children and every ssh client of this server, waits for them, removes the dir. */
  async stop(): Promise<void> {
    const pids = this.processes();
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await this.exited;
    await waitFor('sshd and its ssh processes to die', () => this.processes().length === 0, 5000);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
