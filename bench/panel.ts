/**
 * The web panel's cost (issue 8), against the real circusd binary: circusd
 * with 200 idle children (`sleep`), statsd and httpd on, its CPU (utime +
 * stime from /proc) over a window with no browser, then over the same
 * window with the panel open in headless chromium (logged in, the
 * 200-process watcher expanded: its charts and process table live), in
 * rounds that alternate so machine noise hits both alike; prints the
 * medians and their ratio. Skipped, with the reason, when chromium is
 * missing.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { CircusClient } from '../protocol/client';
import { hashPassword } from '../plugins/httpd/password';

const CLK_TCK = 100;
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const PASSWORD = 'bench-panel-password';
const WATCHER = 'many';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** utime + stime of a pid, in seconds (0 when it is gone). */
function cpuSeconds(pid: number): number {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[11]) + Number(rest[12])) / CLK_TCK;
  } catch {
    return 0;
  }
}

/** Pids of the chromium processes this bench started (descendants of this process named chrom*). */
function browserPids(): number[] {
  const out: number[] = [];
  const visit = (pid: number, depth: number): void => {
    if (depth > 20) return;
    let kids: number[] = [];
    try {
      kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter((x) => x.trim() !== '').map(Number);
    } catch {
      return; // Gone already.
    }
    for (const k of kids) {
      try {
        if (/chrom/i.test(readFileSync(`/proc/${k}/comm`, 'utf8'))) out.push(k);
      } catch {
        // Gone while scanning.
      }
      visit(k, depth + 1);
    }
  };
  visit(process.pid, 0);
  return out;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface PanelDaemon {
  readonly pid: number;
  readonly url: string;
  stop(): Promise<void>;
}

async function startDaemon(n: number): Promise<PanelDaemon> {
  const dir = mkdtempSync(path.join(tmpdir(), 'circus-bench-panel-'));
  const port = await freePort();
  const endpoint = `ipc://${dir}/ctl.sock`;
  const ini = path.join(dir, 'bench.ini');
  writeFileSync(
    ini,
    `[circus]\nendpoint = ${endpoint}\npubsub_endpoint = ipc://${dir}/pub.sock\nstats_endpoint = ipc://${dir}/stats.sock\n` +
      `statsd = true\nhttpd = true\nhttpd_host = 127.0.0.1\nhttpd_port = ${port}\nhttpd_password_hash = ${await hashPassword(PASSWORD)}\n\n` +
      `[watcher:${WATCHER}]\ncmd = /bin/sleep 100000\nnumprocesses = ${n}\ngraceful_timeout = 2\n`,
  );
  const child = spawn(process.execPath, [path.join(__dirname, '..', 'cli', 'circusd.js'), ini], { stdio: 'ignore' });
  const exited = new Promise((r) => child.once('exit', r));
  const client = new CircusClient({ endpoint, timeout: 60 });
  const stop = async (): Promise<void> => {
    await client.call('quit', { waiting: true }).catch(() => undefined);
    client.close();
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    clearTimeout(timer);
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      const pids = (await client.call('list', { name: WATCHER })).pids as number[] | undefined;
      const page = await fetch(`http://127.0.0.1:${port}/login`).catch(() => null);
      if (pids && pids.length === n && page?.status === 200) break;
    } catch {
      // Not up yet.
    }
    if (Date.now() > deadline || child.exitCode !== null) {
      await stop();
      throw new Error(`circusd did not start ${n} processes and its panel within 120 s`);
    }
    await sleep(200);
  }
  return { pid: child.pid as number, url: `http://127.0.0.1:${port}`, stop };
}

/** CPU % of one core used by circusd (and by the browser processes) over `seconds`. */
async function measure(daemonPid: number, seconds: number): Promise<{ daemon: number; browser: number }> {
  const pids = browserPids();
  const b0 = pids.reduce((s, p) => s + cpuSeconds(p), 0);
  const c0 = cpuSeconds(daemonPid);
  const t0 = Date.now();
  await sleep(seconds * 1000);
  const wall = (Date.now() - t0) / 1000;
  const b1 = pids.reduce((s, p) => s + cpuSeconds(p), 0);
  return { daemon: ((cpuSeconds(daemonPid) - c0) / wall) * 100, browser: ((b1 - b0) / wall) * 100 };
}

/** One round with the panel open: log in, expand the watcher, wait for its 200 rows, measure, close. */
async function withPanel(browser: Browser, d: PanelDaemon, n: number, seconds: number): Promise<{ daemon: number; browser: number }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  try {
    const page = await context.newPage();
    await page.goto(`${d.url}/login`);
    await page.fill('[data-testid="login-password"]', PASSWORD);
    await page.click('[data-testid="login-submit"]');
    await page.waitForURL(`${d.url}/`);
    const row = page.locator(`[data-testid="watcher-row"][data-watcher="${WATCHER}"]`);
    await row.waitFor({ timeout: 30_000 });
    await row.locator('[data-testid="watcher-expand"]').click();
    await page.locator('[data-testid="process-row"]').nth(n - 1).waitFor({ timeout: 30_000 });
    // Let the login and the first state settle before the window.
    await sleep(3000);
    return await measure(d.pid, seconds);
  } finally {
    await context.close();
  }
}

/** Prints the figures (or why they were skipped). */
export async function panelBench(seconds = 15, rounds = 3): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    console.log(`web panel cost: skipped: chromium not found at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
    return;
  }
  const n = 200;
  const d = await startDaemon(n);
  let browser: Browser | null = null;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
    await sleep(3000);
    const without: number[] = [];
    const withIt: number[] = [];
    const browserCpu: number[] = [];
    for (let i = 0; i < rounds; i += 1) {
      without.push((await measure(d.pid, seconds)).daemon);
      const open = await withPanel(browser, d, n, seconds);
      withIt.push(open.daemon);
      browserCpu.push(open.browser);
      // The websocket closes with the page: give the server a moment before the next quiet window.
      await sleep(2000);
    }
    const off = median(without);
    const on = median(withIt);
    console.log(
      `web panel cost, circusd CPU over ${seconds} s with ${n} idle processes, statsd and httpd on (median of ${rounds} alternating rounds): ` +
        `no browser ${off.toFixed(2)} %, panel open (logged in, the ${n}-process watcher expanded) ${on.toFixed(2)} %; ` +
        `ratio ${(on / off).toFixed(2)}, added ${(on - off).toFixed(2)} % of one core; chromium itself ${median(browserCpu).toFixed(1)} % ` +
        `(rounds without: ${without.map((x) => x.toFixed(2)).join(', ')}; with: ${withIt.map((x) => x.toFixed(2)).join(', ')})`,
    );
  } finally {
    await browser?.close();
    await d.stop();
  }
}

if (require.main === module) {
  const seconds = Number(process.argv[2] ?? '15');
  const rounds = Number(process.argv[3] ?? '3');
  panelBench(seconds, rounds).catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  });
}
