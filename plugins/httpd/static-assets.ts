/**
 * The panel's files: plugins/httpd/assets/ (not compiled: found from this
 * file's folder whether it runs from the source tree or from
 * build/plugins/httpd/) and uPlot's two files from node_modules. Nothing
 * is fetched from elsewhere. Paths are confined to the assets folder
 * (no `..`, no hidden files, no symlink out of it).
 */
import { createHash } from 'node:crypto';
import { existsSync, promises as fsp } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as path from 'node:path';
import { HttpRequestError } from './errors';

/** Content types by extension. */
const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The assets folder: `assets/` beside this file when present (source tree),
 * else the source tree's from build/plugins/httpd/ (three levels up).
 */
export function defaultAssetsDir(): string {
  const beside = path.join(__dirname, 'assets');
  if (existsSync(beside)) return beside;
  return path.resolve(__dirname, '..', '..', '..', 'plugins', 'httpd', 'assets');
}

/** The vendored files served under /assets/vendor/, by name. */
export function vendorFiles(): Record<string, string> {
  const dist = path.dirname(require.resolve('uplot/dist/uPlot.iife.min.js'));
  return {
    'uplot.js': path.join(dist, 'uPlot.iife.min.js'),
    'uplot.css': path.join(dist, 'uPlot.min.css'),
  };
}

/** Serves files of one folder plus the vendored ones. */
export class StaticAssets {
  private readonly root: string;
  private realRoot: string | null = null;

  constructor(
    root: string = defaultAssetsDir(),
    private readonly vendor: Readonly<Record<string, string>> = vendorFiles(),
  ) {
    this.root = path.resolve(root);
  }

  /**
   * Answers GET/HEAD `/assets/<relative>` (or a page such as `index.html`).
   * Rejects 404 naming the file when it is not there or not allowed.
   */
  async serve(req: IncomingMessage, res: ServerResponse, relative: string): Promise<void> {
    const file = relative.startsWith('vendor/') ? this.vendor[relative.slice('vendor/'.length)] : await this.resolve(relative);
    if (file === undefined) throw new HttpRequestError(404, `no asset '${relative}'`);
    let data: Buffer;
    try {
      data = await fsp.readFile(file);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') throw new HttpRequestError(404, `no asset '${relative}'`);
      throw err;
    }
    const etag = `"${createHash('sha1').update(data).digest('base64url')}"`;
    const headers = {
      'Content-Type': TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      // Revalidated every time: a new version of the panel shows at once.
      'Cache-Control': 'no-cache',
      ETag: etag,
    };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Length': data.length });
    res.end(req.method === 'HEAD' ? undefined : data);
  }

  /** The file `relative` names inside the root, or undefined when it leaves it or is hidden. */
  private async resolve(relative: string): Promise<string | undefined> {
    if (relative === '' || relative.includes('\0') || relative.includes('\\')) return undefined;
    const parts = relative.split('/');
    if (parts.some((p) => p === '' || p === '.' || p === '..' || p.startsWith('.'))) return undefined;
    const candidate = path.join(this.root, ...parts);
    let real: string;
    try {
      real = await fsp.realpath(candidate);
      this.realRoot ??= await fsp.realpath(this.root);
    } catch {
      return undefined;
    }
    if (!real.startsWith(this.realRoot + path.sep)) return undefined;
    return real;
  }
}
