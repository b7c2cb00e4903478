/**
 * A PanelServer on 127.0.0.1 (ephemeral port) over fake daemons and a
 * temporary assets folder, for the unit tests of routing, auth and the hub.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { PanelServer, type PanelServerOptions } from '../../../../plugins/httpd/panel-server';
import { hashPassword } from '../../../../plugins/httpd/password';
import { MemoryLogger } from '../../../support/memory-logger';
import { FakeDaemon } from './helpers';

/** The password of the login panels. */
export const PASSWORD = 'correct horse';

let cachedHash: string | null = null;

/** A cheap hash of PASSWORD (low scrypt cost: these tests check logic, not cost). */
export async function testHash(): Promise<string> {
  cachedHash ??= await hashPassword(PASSWORD, { N: 1024, r: 8, p: 1 });
  return cachedHash;
}

/** One running panel and what it was built from. */
export interface Panel {
  readonly server: PanelServer;
  readonly port: number;
  readonly daemons: FakeDaemon[];
  readonly logger: MemoryLogger;
  readonly dir: string;
  close(): Promise<void>;
}

/** Writes the assets folder: two pages, a script, a hidden file and a symlink leading out. */
function writeAssets(dir: string): string {
  const assets = path.join(dir, 'assets');
  fs.mkdirSync(path.join(assets, 'sub'), { recursive: true });
  fs.writeFileSync(path.join(assets, 'index.html'), '<!doctype html><title>panel</title>');
  fs.writeFileSync(path.join(assets, 'login.html'), '<!doctype html><title>login</title>');
  fs.writeFileSync(path.join(assets, 'app.js'), 'export {};\n');
  fs.writeFileSync(path.join(assets, 'sub', 'x.css'), 'body{}\n');
  fs.writeFileSync(path.join(assets, '.hidden'), 'HIDDEN-CONTENT');
  fs.writeFileSync(path.join(dir, 'secret.txt'), 'SECRET');
  fs.symlinkSync(path.join(dir, 'secret.txt'), path.join(assets, 'escape.txt'));
  return assets;
}

/** Starts a panel; `login` sets a password. */
export async function startPanel(opts: { login?: boolean } & Partial<PanelServerOptions> = {}): Promise<Panel> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'circus-panel-'));
  const daemons = [new FakeDaemon('a'), new FakeDaemon('b')];
  const logger = new MemoryLogger('panel');
  const server = new PanelServer(
    {
      daemons,
      passwordHash: opts.login ? await testHash() : null,
      host: '127.0.0.1',
      assetsDir: writeAssets(dir),
      ...opts,
    },
    logger,
  );
  const port = await server.listen({ host: '127.0.0.1', port: 0 });
  return {
    server,
    port,
    daemons,
    logger,
    dir,
    close: async () => {
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
      // Nothing left behind: no websocket client, and the port can be bound again.
      if (server.websocketClients !== 0) throw new Error(`${server.websocketClients} websocket client(s) left after close`);
      await new Promise<void>((resolve, reject) => {
        const probe = net.createServer();
        probe.once('error', (err) => reject(new Error(`the panel's port ${port} is still in use after close: ${err.message}`)));
        probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
      });
    },
  };
}
