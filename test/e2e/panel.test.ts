/**
 * The web panel end to end (issue 8): the built circusd with httpd = 1,
 * statsd and publish_output, driven by Debian's chromium through
 * playwright-core as a user drives it. Everything the page shows is checked
 * against a real control client too.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import NodeWebSocket from 'ws';
import { alive, ROOT, Sandbox, waitFor } from '../integration/cli/circusd-harness';
import { processesWith } from '../integration/kernel/helpers';
import {
  BURNER_ERR_LINE,
  BURNER_LINE,
  browserProcessesLeft,
  launchChromium,
  PASSWORD,
  poll,
  startPanelDaemon,
  type PanelDaemon,
} from './panel-harness';
import { freePort } from '../support/free-port';

const SCREENSHOT = path.join(ROOT, 'test-output', 'panel-main.png');

/** The row of a watcher in the watchers table. */
const row = (page: Page, name: string) => page.locator(`[data-testid="watcher-row"][data-watcher="${name}"]`);

/** The text of a watcher's cell (`watcher-status`, `watcher-procs`, `watcher-cpu`...). */
async function cell(page: Page, name: string, testid: string): Promise<string> {
  return ((await row(page, name).locator(`[data-testid="${testid}"]`).textContent()) ?? '').trim();
}

/** Logs in through the login page and waits for the live websocket. */
async function logIn(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/`);
  await page.waitForURL(`${url}/login`);
  await page.fill('[data-testid="login-password"]', PASSWORD);
  await page.click('[data-testid="login-submit"]');
  await page.waitForURL(`${url}/`);
  await page.locator('[data-testid="ws-status"][data-live="true"]').waitFor({ timeout: 15_000 });
}

describe('web panel end to end (real chromium, real circusd)', function () {
  this.timeout(120_000);
  let sb: Sandbox;
  let browser: Browser | null;
  let daemon: PanelDaemon | null;
  let pageErrors: string[];

  beforeEach(() => {
    sb = new Sandbox();
    browser = null;
    daemon = null;
    pageErrors = [];
  });

  afterEach(async () => {
    await browser?.close();
    daemon?.close();
    const marker = sb.dir;
    await sb.cleanup();
    await waitFor('no process of the sandbox left', () => processesWith(marker).length === 0, 10_000);
    await waitFor('no chromium left', () => browserProcessesLeft().length === 0, 10_000);
  });

  async function openPage(): Promise<Page> {
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
    return page;
  }

  it('without a login, the page sends the user to /login and the websocket is refused', async () => {
    daemon = await startPanelDaemon(sb);
    const page = await openPage();
    await page.goto(`${daemon.url}/`);
    await page.waitForURL(`${daemon.url}/login`);
    await page.locator('[data-testid="login-password"]').waitFor();

    // The browser's own websocket, from the panel's origin: never opens.
    const outcome = await page.evaluate(
      (u) =>
        new Promise<string>((resolve) => {
          // The page's own WebSocket (this function runs in the browser).
          const ws = new (globalThis as unknown as { WebSocket: new (u: string) => { onopen: () => void; onclose: () => void } }).WebSocket(u);
          ws.onopen = () => resolve('open');
          ws.onclose = () => resolve('refused');
          setTimeout(() => resolve('no answer'), 10_000);
        }),
      `ws://127.0.0.1:${daemon.port}/ws`,
    );
    assert.equal(outcome, 'refused');

    // And what the server answered the upgrade: 401.
    const status = await new Promise<number | string>((resolve) => {
      const ws = new NodeWebSocket(`ws://127.0.0.1:${(daemon as PanelDaemon).port}/ws`);
      ws.on('unexpected-response', (_req, res) => {
        resolve(res.statusCode ?? 0);
        ws.terminate();
      });
      ws.on('open', () => {
        resolve('open');
        ws.close();
      });
      ws.on('error', () => undefined);
    });
    assert.equal(status, 401);

    // A wrong password is refused on the page, with a reason shown.
    await page.fill('[data-testid="login-password"]', 'not the password');
    await page.click('[data-testid="login-submit"]');
    await page.locator('[data-testid="login-error"]:visible').waitFor({ timeout: 15_000 });
    assert.equal(new URL(page.url()).pathname, '/login');
  });

  it('logs in, shows live watchers, CPU and the log tail, adds a watcher, incr, signal, stops one, logs out', async () => {
    const d = await startPanelDaemon(sb);
    daemon = d;
    const page = await openPage();
    await logIn(page, d.url);

    // The watchers: burner as a user watcher; the daemon's own services are not in the table.
    await poll('burner active with 1 process', async () => (await cell(page, 'burner', 'watcher-status')) === 'active' && (await cell(page, 'burner', 'watcher-procs')) === '1');
    assert.equal(await row(page, 'circusd-stats').count(), 0);
    assert.equal(await row(page, 'circushttpd').count(), 0);
    assert.match((await page.locator('[data-testid="daemon-badge"]').textContent()) ?? '', /^connected/);

    // CPU figures move: two different values over time.
    const seen = new Set<string>();
    await poll('two different CPU figures for burner', async () => {
      const text = await cell(page, 'burner', 'watcher-cpu');
      if (/^[0-9.]+ %$/.test(text)) seen.add(text);
      return seen.size >= 2;
    }, 30_000);

    // Expanded: the process with its own figures, and the charts drawn.
    const [burnerPid] = (await d.client.call('list', { name: 'burner' })).pids as number[];
    await row(page, 'burner').locator('[data-testid="watcher-expand"]').click();
    const procRow = page.locator(`[data-testid="process-row"][data-pid="${burnerPid}"]`);
    await procRow.waitFor();
    await poll('a CPU figure for the process', async () => /^[0-9.]+ %$/.test(((await procRow.locator('[data-testid="process-cpu"]').textContent()) ?? '').trim()));
    await page.locator('[data-testid="chart-cpu"] canvas').waitFor();
    await page.locator('[data-testid="chart-mem"] canvas').waitFor();

    // The log tail: the line the child prints, live, on stdout and on stderr.
    await page.selectOption('[data-testid="tail-select"]', { label: 'burner' });
    const stdoutLine = page.locator('[data-testid="tail-line"][data-stream="stdout"]', { hasText: BURNER_LINE }).first();
    await stdoutLine.waitFor({ timeout: 15_000 });
    assert.match((await stdoutLine.textContent()) ?? '', new RegExp(`${burnerPid}.*${BURNER_LINE} ${burnerPid} \\d+`));
    await page.locator('[data-testid="tail-line"][data-stream="stderr"]', { hasText: BURNER_ERR_LINE }).first().waitFor({ timeout: 15_000 });
    // The stream still got the bytes.
    assert.match(fs.readFileSync(path.join(sb.dir, 'burner.out'), 'utf8'), new RegExp(BURNER_LINE));

    // Add a watcher from the form; it appears running, for the page and for circusd.
    await page.fill('[data-testid="add-name"]', 'sleeper');
    await page.fill('[data-testid="add-cmd"]', 'sleep');
    await page.fill('[data-testid="add-args"]', '3600');
    await page.fill('[data-testid="add-numprocesses"]', '2');
    await page.fill('[data-testid="add-working-dir"]', sb.dir);
    await page.click('[data-testid="add-submit"]');
    await poll('sleeper active with 2 processes on the page', async () => (await cell(page, 'sleeper', 'watcher-status')) === 'active' && (await cell(page, 'sleeper', 'watcher-procs')) === '2');
    const sleeperPids = (await d.client.call('list', { name: 'sleeper' })).pids as number[];
    assert.equal(sleeperPids.length, 2);
    assert.deepEqual((await d.client.call('get', { name: 'sleeper', keys: ['numprocesses', 'working_dir'] })).options, { numprocesses: 2, working_dir: sb.dir });
    await page.locator('[data-testid="event-row"][data-watcher="sleeper"][data-event="add"]').waitFor({ timeout: 15_000 });

    // The main page as a user sees it.
    fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    // An action's error is shown with circusd's reason: adding burner again.
    await page.fill('[data-testid="add-name"]', 'burner');
    await page.fill('[data-testid="add-cmd"]', 'sleep');
    await page.click('[data-testid="add-submit"]');
    await page.locator('[data-testid="action-error"]', { hasText: 'already exist' }).waitFor({ timeout: 15_000 });

    // incr: one more process; signal KILL: circusd respawns them, new pids.
    await row(page, 'sleeper').locator('[data-testid="action-incr"]').click();
    await poll('sleeper with 3 processes on the page', async () => (await cell(page, 'sleeper', 'watcher-procs')) === '3');
    const three = (await d.client.call('list', { name: 'sleeper' })).pids as number[];
    assert.equal(three.length, 3);
    await row(page, 'sleeper').locator('[data-testid="signal-select"]').selectOption('SIGKILL');
    await row(page, 'sleeper').locator('[data-testid="action-signal"]').click();
    await poll('the killed sleepers respawned with new pids', async () => {
      const pids = (await d.client.call('list', { name: 'sleeper' })).pids as number[];
      return pids.length === 3 && pids.every((p) => !three.includes(p));
    });
    await waitFor('the killed sleepers gone', () => three.every((p) => !alive(p)));

    // Stop: the state changes and the process is gone, for the page and for circusd.
    await row(page, 'burner').locator('[data-testid="action-stop"]').click();
    await poll('burner stopped with 0 processes on the page', async () => (await cell(page, 'burner', 'watcher-status')) === 'stopped' && (await cell(page, 'burner', 'watcher-procs')) === '0');
    assert.equal((await d.client.call('status', { name: 'burner' })).status, 'stopped');
    assert.deepEqual((await d.client.call('list', { name: 'burner' })).pids, []);
    await waitFor(`burner pid ${burnerPid} gone`, () => !alive(burnerPid));
    assert.equal(await procRow.count(), 0);
    await page.locator('[data-testid="no-processes"]:visible').waitFor();

    // Log out: back to the login page, and the panel is closed again.
    await page.click('[data-testid="logout"]');
    await page.waitForURL(`${d.url}/login`);
    await page.goto(`${d.url}/`);
    await page.waitForURL(`${d.url}/login`);
    assert.deepEqual(pageErrors.filter((e) => !/401|Unauthorized/.test(e)), []);
  });

  it('refuses a forged cross-site POST from another origin in the same, logged-in browser', async () => {
    const d = await startPanelDaemon(sb);
    daemon = d;
    const page = await openPage();
    await logIn(page, d.url);
    // The attacker's page: another origin on the same machine (same site: the
    // SameSite cookie is sent, so the server's Origin check is what refuses).
    const evilPort = await freePort();
    const evil = http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end(`<form id="f" method="post" action="${d.url}/api/commands/stop" enctype="text/plain">` +
        `<input name='{"name":"burner","x":"' value='"}'></form><script>document.getElementById('f').submit()</script>`);
    });
    await new Promise<void>((resolve) => evil.listen(evilPort, '127.0.0.1', resolve));
    try {
      const answered = page.waitForResponse((r) => r.url() === `${d.url}/api/commands/stop`);
      await page.goto(`http://127.0.0.1:${evilPort}/`);
      const res = await answered;
      assert.equal(res.status(), 403);
    } finally {
      await new Promise((resolve) => evil.close(resolve));
    }
    assert.equal((await d.client.call('status', { name: 'burner' })).status, 'active');
    assert.equal(((await d.client.call('list', { name: 'burner' })).pids as number[]).length, 1);
  });
});
