/**
 * What the panel's end-to-end tests share: Debian's chromium driven by
 * playwright-core (a missing browser is a failure that says how to install
 * it, never a skip), a real built circusd with the in-process panel
 * (httpd = 1) on a free loopback port, a CPU-burning watcher that prints
 * known lines, and a control client to check what the page shows.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { CircusClient } from '../../protocol/client';
import { hashPassword } from '../../plugins/httpd/password';
import { descendantsOf, type CircusdRun, type Sandbox } from '../integration/cli/circusd-harness';
import { freePort } from '../support/free-port';

/** The browser the tests drive: Debian's chromium, or CHROMIUM_PATH. */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/** The password of the test panels (hashed into the config with the panel's own hashPassword). */
export const PASSWORD = 'correct horse battery staple';

/** The line the burner prints on stdout (with its pid and a counter after it). */
export const BURNER_LINE = 'hello-from-burner';

/** The line the burner prints on stderr now and then. */
export const BURNER_ERR_LINE = 'burner-on-stderr';

/**
 * The watcher's program: busy 10-50 ms of every 100 ms (so its CPU figure
 * moves between samples), a stdout line every 300 ms, a stderr line every 2 s.
 */
const BURNER_JS = `let n = 0;
setInterval(() => {
  const end = Date.now() + 10 + Math.random() * 40;
  while (Date.now() < end) { /* burn */ }
  n += 1;
  if (n % 3 === 0) process.stdout.write('${BURNER_LINE} ' + process.pid + ' ' + n + '\\n');
  if (n % 20 === 0) process.stderr.write('${BURNER_ERR_LINE} ' + process.pid + ' ' + n + '\\n');
}, 100);
`;

/** Throws, saying how to install it, when the browser is not there. */
export function requireChromium(): string {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `chromium not found at ${CHROMIUM}: the panel's end-to-end tests need a real browser. ` +
        'Install Debian\'s chromium (apt-get install chromium; .ci/run does it) or set CHROMIUM_PATH to a Chromium binary.',
    );
  }
  return CHROMIUM;
}

/** Launches headless chromium (--no-sandbox: CI runs as root). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: requireChromium(), headless: true, args: ['--no-sandbox'] });
}

/** Chromium processes still running under this test process (must be none after a test). */
export function browserProcessesLeft(): number[] {
  return descendantsOf(process.pid).filter((pid) => {
    try {
      return /chrom/i.test(fs.readFileSync(`/proc/${pid}/comm`, 'utf8'));
    } catch {
      return false;
    }
  });
}

/** Polls an async `check` every 100 ms until it returns a value other than undefined/false; fails after `ms`. */
export async function poll<T>(what: string, check: () => Promise<T | undefined | false>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown = undefined;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A running circusd with its panel. */
export interface PanelDaemon {
  readonly run: CircusdRun;
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly port: number;
  /** The control endpoint (ipc in the sandbox). */
  readonly endpoint: string;
  /** A control client on it (closed by stop()). */
  readonly client: CircusClient;
  /** Closes the client (the sandbox kills the daemon). */
  close(): void;
}

/**
 * Starts the built circusd in `sb` with httpd on 127.0.0.1:<free port>,
 * statsd, publish_output, a password hash (unless `password` is null) and
 * the burner watcher (stdout to a FileStream, stderr to StdoutStream); waits
 * until the panel answers and the burner runs.
 */
export async function startPanelDaemon(sb: Sandbox, opts: { password: string | null } = { password: PASSWORD }): Promise<PanelDaemon> {
  fs.writeFileSync(path.join(sb.dir, 'burner.js'), BURNER_JS);
  const port = await freePort();
  const hash = opts.password === null ? '' : `httpd_password_hash = ${await hashPassword(opts.password)}\n`;
  const config = sb.writeConfig(
    'circus.ini',
    `[circus]
check_delay = 1
endpoint = ipc://{dir}/ctl.sock
pubsub_endpoint = ipc://{dir}/pub.sock
stats_endpoint = ipc://{dir}/stats.sock
statsd = 1
publish_output = 1
httpd = 1
httpd_host = 127.0.0.1
httpd_port = ${port}
${hash}
[watcher:burner]
cmd = {node} {dir}/burner.js
numprocesses = 1
graceful_timeout = 1
stdout_stream.class = FileStream
stdout_stream.filename = {dir}/burner.out
stderr_stream.class = StdoutStream
`,
  );
  const run = sb.start([config]);
  const url = `http://127.0.0.1:${port}`;
  const endpoint = `ipc://${sb.dir}/ctl.sock`;
  const client = new CircusClient({ endpoint, timeout: 5 });
  try {
    await poll(`the panel on ${url} (circusd stderr: ${run.stderr().slice(-500)})`, async () => {
      if (run.child.exitCode !== null) throw new Error(`circusd exited ${run.child.exitCode}: ${run.stderr().slice(-1000)}`);
      const res = await fetch(`${url}/login`);
      return res.status === 200;
    }, 20_000);
    await poll('the burner running', async () => {
      const reply = await client.call('list', { name: 'burner' });
      return Array.isArray(reply.pids) && reply.pids.length === 1;
    }, 20_000);
  } catch (error) {
    client.close();
    throw error;
  }
  return { run, url, port, endpoint, client, close: () => client.close() };
}
