/**
 * What one circusctl run holds open: the control client (created on first
 * use, through an SSH tunnel with --ssh) and the tunnel; both closed at the
 * end of the run.
 */
import { CircusError, shlexSplit } from '../../kernel/index';
import { CircusClient } from '../../protocol/client';
import type { ClientCurve } from '../../protocol/curve';
import { resolveClientCurve } from '../shared/client-curve';
import type { GlobalOptions } from './argparse';
import { pyJson } from '../../protocol/py-json';
import { parsePyJson } from './py-json';
import { SshTunnelError, openSshTunnel, type SshTunnel } from './ssh-tunnel';

/** Default control endpoint (spec/protocol.md 1.1). */
export const DEFAULT_ENDPOINT = 'tcp://127.0.0.1:5555';
/** Default pub/sub endpoint, used by listen. */
export const DEFAULT_SUB_ENDPOINT = 'tcp://127.0.0.1:5556';

/** Where circusctl writes, and whether stdout is a terminal. */
export interface CtlIo {
  out(text: string): void;
  err(text: string): void;
  readonly stdoutIsTTY: boolean;
  readonly stdinIsTTY: boolean;
}

/** ZeroMQ refused the endpoint (unknown transport, bad address). Exit 1. */
export class EndpointError extends CircusError {
  readonly code = 'E_ENDPOINT';
}

/** The control client of one run. */
export class ClientSession {
  private client: CircusClient | undefined;
  private tunnel: SshTunnel | undefined;
  private curveSettings: { value: ClientCurve | undefined } | undefined;

  constructor(
    private readonly globals: GlobalOptions,
    private readonly env: NodeJS.ProcessEnv,
    private readonly io: CtlIo,
    private readonly sshProgram?: string,
  ) {}

  /** The endpoint commands go to: --endpoint, else $CIRCUSCTL_ENDPOINT, else the default. */
  endpoint(): string {
    return this.globals.endpoint ?? this.env.CIRCUSCTL_ENDPOINT ?? DEFAULT_ENDPOINT;
  }

  /**
   * The CURVE settings from --client-key/--server-key (or their variables),
   * read once per run; undefined without them. Throws ClientKeyError
   * (exit 1) for a missing half or an unusable key file.
   */
  curve(): ClientCurve | undefined {
    this.curveSettings ??= { value: resolveClientCurve(this.globals, this.env) };
    return this.curveSettings.value;
  }

  /** The connected client (opens the SSH tunnel first when asked to). */
  async get(): Promise<CircusClient> {
    if (this.client !== undefined) return this.client;
    // Key files are checked before any ssh is started.
    const curve = this.curve();
    let endpoint = this.endpoint();
    if (this.globals.ssh !== null) {
      this.tunnel = await openSshTunnel({
        server: this.globals.ssh,
        keyfile: this.globals.sshKeyfile,
        endpoint,
        waitMs: Math.max(this.globals.timeout, 10) * 1000,
        interactive: this.io.stdinIsTTY,
        program: this.sshProgram,
        extraArgs: this.sshOptions(),
      });
      endpoint = this.tunnel.endpoint;
    }
    const client = new CircusClient({
      endpoint,
      timeout: this.globals.timeout,
      curve,
      // Requests are written as Python writes them, floats included (`5.0`).
      encode: (r) => pyJson(r),
      decode: (t) => parsePyJson(t.trim()),
    });
    try {
      client.connect();
    } catch (error) {
      throw new EndpointError(`cannot connect to '${endpoint}': ${(error as Error).message}`, { cause: error });
    }
    this.client = client;
    return client;
  }

  /**
   * `$CIRCUSCTL_SSH_OPTIONS`, split with shell quoting: extra ssh arguments
   * (`-o StrictHostKeyChecking=no`, `-F FILE`, ...). An environment variable
   * because ssh reads ~/.ssh/config from the passwd entry's home, not $HOME,
   * and circusctl's command line must stay Circus's.
   */
  private sshOptions(): string[] {
    const text = this.env.CIRCUSCTL_SSH_OPTIONS ?? '';
    try {
      return shlexSplit(text);
    } catch (error) {
      throw new SshTunnelError(`CIRCUSCTL_SSH_OPTIONS: ${(error as Error).message}: ${text}`, { cause: error });
    }
  }

  /** Closes the client and stops ssh. */
  async close(): Promise<void> {
    this.client?.close();
    this.client = undefined;
    await this.tunnel?.close();
    this.tunnel = undefined;
  }
}
