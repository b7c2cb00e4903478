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
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { hashPassword } from '../plugins/httpd/password';
import { browserProcessesLeft, CHROMIUM, launchChromium } from '../test/e2e/panel-harness';
import { freePort } from '../test/support/free-port';
import { startBenchDaemon } from './support/circusd';
import { cpuSeconds, median, sleep } from './support/measure';

const PASSWORD = 'bench-panel-password';
const WATCHER = 'many';

interface PanelDaemon {
  readonly pid: number;
  readonly url: string;
  stop(): Promise<void>;
}

/** circusd with `n` idle children, statsd and the panel (with a login) on a free loopback port. */
async function startDaemon(n: number): Promise<PanelDaemon> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const hash = await hashPassword(PASSWORD);
  const d = await startBenchDaemon({
    label: 'panel',
    endpoint: 'ipc',
    watchers: { [WATCHER]: n },
    circus: (dir) =>
      `stats_endpoint = ipc://${dir}/stats.sock\nstatsd = true\n` +
      `httpd = true\nhttpd_host = 127.0.0.1\nhttpd_port = ${port}\nhttpd_password_hash = ${hash}\n`,
    ready: async () => (await fetch(`${url}/login`).catch(() => null))?.status === 200,
  });
  return { pid: d.pid, url, stop: d.stop };
}

/** CPU % of one core used by circusd (and by the browser processes) over `seconds`. */
async function measure(daemonPid: number, seconds: number): Promise<{ daemon: number; browser: number }> {
  // The chromium processes this bench started (the only ones under this process).
  const pids = browserProcessesLeft();
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
    browser = await launchChromium();
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
