/**
 * The panel's fleet view end to end: the standalone circushttpd (built)
 * over two real circusd, one with statsd and publish_output, one without,
 * in Debian's chromium. Each daemon is a section; the page says why the
 * second has no live figures and no log tail; an action reaches the right
 * daemon; a daemon going down shows as disconnected.
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { CircusClient } from '../../protocol/client';
import { ROOT, Sandbox, waitFor } from '../integration/cli/circusd-harness';
import { processesWith } from '../integration/kernel/helpers';
import { browserProcessesLeft, launchChromium, poll } from './panel-harness';
import { freePort } from '../support/free-port';

const CIRCUSHTTPD = path.join(ROOT, 'build', 'cli', 'circushttpd.js');

/** A daemon's config; `extra` adds [circus] lines (a stats_endpoint alone turns statsd on, as in Circus). */
function daemonConfig(name: string, extra: string, watcher: string): string {
  return `[circus]
check_delay = 1
endpoint = ipc://{dir}/${name}-ctl.sock
pubsub_endpoint = ipc://{dir}/${name}-pub.sock
${extra}

[watcher:${watcher}]
cmd = sleep 3600
graceful_timeout = 1
`;
}

describe('web panel fleet view (circushttpd over two circusd, real chromium)', function () {
  this.timeout(120_000);
  let sb: Sandbox;
  let browser: Browser | null;
  let clients: CircusClient[];

  beforeEach(() => {
    sb = new Sandbox();
    browser = null;
    clients = [];
  });

  afterEach(async () => {
    await browser?.close();
    for (const c of clients) c.close();
    const marker = sb.dir;
    await sb.cleanup();
    await waitFor('no process of the sandbox left', () => processesWith(marker).length === 0, 10_000);
    await waitFor('no chromium left', () => browserProcessesLeft().length === 0, 10_000);
  });

  const section = (page: Page, label: string) => page.locator('[data-testid="daemon"]', { has: page.locator('h2', { hasText: label }) });

  it('shows a section per daemon, the reasons of the one without stats and tail, and drives each', async () => {
    const a = sb.start([sb.writeConfig('a.ini', daemonConfig('a', 'statsd = 1\nstats_endpoint = ipc://{dir}/a-stats.sock\npublish_output = 1', 'alpha'))]);
    const b = sb.start([sb.writeConfig('b.ini', daemonConfig('b', '', 'beta'))]);
    const clientA = new CircusClient({ endpoint: `ipc://${sb.dir}/a-ctl.sock`, timeout: 5 });
    const clientB = new CircusClient({ endpoint: `ipc://${sb.dir}/b-ctl.sock`, timeout: 5 });
    clients.push(clientA, clientB);
    for (const [client, name] of [[clientA, 'alpha'], [clientB, 'beta']] as const) {
      await poll(`${name} running`, async () => ((await client.call('list', { name })).pids as number[]).length === 1, 20_000);
    }

    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const panel = spawn(process.execPath, [CIRCUSHTTPD, '--host', '127.0.0.1', '--port', String(port),
      '--endpoint', `ipc://${sb.dir}/a-ctl.sock`, '--label', 'alpha-daemon',
      '--endpoint', `ipc://${sb.dir}/b-ctl.sock`, '--label', 'beta-daemon'], { stdio: ['ignore', 'ignore', 'pipe'] });
    sb.track(panel.pid as number);
    let panelErr = '';
    panel.stderr?.on('data', (d: Buffer) => (panelErr += d.toString()));
    await poll('circushttpd answering', async () => {
      if (panel.exitCode !== null) throw new Error(`circushttpd exited ${panel.exitCode}: ${panelErr}`);
      return (await fetch(`${url}/`, { redirect: 'manual' })).status === 200;
    }, 20_000);

    fs.mkdirSync(path.join(ROOT, 'test-output'), { recursive: true });
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    // Loopback without a password hash: no login, and no logout button.
    await page.goto(`${url}/`);
    await page.locator('[data-testid="ws-status"][data-live="true"]').waitFor({ timeout: 15_000 });
    assert.equal(new URL(page.url()).pathname, '/');
    assert.equal(await page.locator('[data-testid="logout"]').isHidden(), true);

    const secA = section(page, 'alpha-daemon');
    const secB = section(page, 'beta-daemon');
    await secA.locator('[data-testid="watcher-row"][data-watcher="alpha"]').waitFor({ timeout: 15_000 });
    await secB.locator('[data-testid="watcher-row"][data-watcher="beta"]').waitFor({ timeout: 15_000 });
    assert.equal(await page.locator('[data-testid="daemon"]').count(), 2);
    assert.equal(await secA.locator('[data-testid="watcher-row"][data-watcher="beta"]').count(), 0);
    assert.equal(await secB.locator('[data-testid="daemon-endpoint"]').textContent(), `ipc://${sb.dir}/b-ctl.sock`);

    // The daemon without statsd: the page says why there are no figures, there and in the expanded watcher.
    // (First "waiting for stats", then, no frame coming, the reason naming statsd.)
    await poll('the reason of no stats on beta-daemon', async () => /statsd/.test((await secB.locator('[data-testid="daemon-reasons"]:visible').textContent()) ?? ''), 20_000);
    await secB.locator('[data-testid="watcher-expand"]').click();
    await secB.locator('[data-testid="stats-unavailable"]:visible').waitFor();
    assert.equal(await secA.locator('[data-testid="daemon-reasons"]').isHidden(), true);

    // Its log tail is unavailable, with the reason; the other daemon's is not.
    await page.selectOption('[data-testid="tail-select"]', { label: 'beta-daemon / beta' });
    await page.locator('[data-testid="tail-unavailable"]:visible').waitFor();
    assert.match((await page.locator('[data-testid="tail-unavailable"]').textContent()) ?? '', /publish_output/);
    await page.screenshot({ path: path.join(ROOT, 'test-output', 'panel-fleet.png'), fullPage: true });
    await page.selectOption('[data-testid="tail-select"]', { label: 'alpha-daemon / alpha' });
    await page.locator('[data-testid="tail-unavailable"]').waitFor({ state: 'hidden' });

    // An action reaches its own daemon only.
    await secB.locator('[data-testid="watcher-row"][data-watcher="beta"] [data-testid="action-stop"]').click();
    await poll('beta stopped', async () => (await clientB.call('status', { name: 'beta' })).status === 'stopped');
    await poll('beta stopped on the page', async () => (await secB.locator('[data-testid="watcher-status"]').textContent()) === 'stopped');
    assert.equal((await clientA.call('status', { name: 'alpha' })).status, 'active');

    // A daemon going down: its section says so, the other stays connected.
    await clientB.call('quit', {});
    await b.exited;
    await secB.locator('[data-testid="daemon-badge"][data-connected="false"]').waitFor({ timeout: 20_000 });
    assert.equal(await secA.locator('[data-testid="daemon-badge"]').getAttribute('data-connected'), 'true');
    assert.equal(a.child.exitCode, null);

    // circushttpd stops cleanly on SIGTERM.
    const exited = new Promise<number | null>((resolve) => panel.once('exit', (code) => resolve(code)));
    panel.kill('SIGTERM');
    assert.equal(await exited, 0);
  });
});
