import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { processesWith } from './helpers';
import { freePort } from '../../support/free-port';
import { ROOT, Sandbox, waitFor } from '../cli/circusd-harness';

/** One GET on loopback; resolves with the parsed JSON body. */
function get(port: number, url: string): Promise<{ pid: number; url: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: url, agent: false, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => {
        try {
          resolve(JSON.parse(body) as { pid: number; url: string });
        } catch (err) {
          reject(err);
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
  });
}

describe('examples/http-workers under circusd', function () {
  this.timeout(30000);
  let box: Sandbox;

  beforeEach(() => {
    box = new Sandbox();
  });

  afterEach(async () => {
    await box.cleanup();
    const left = processesWith(path.join(ROOT, 'examples/http-workers/server.js')).filter((p) => p !== process.pid);
    // Killed before asserting, so one failure cannot leave workers behind for the next run.
    for (const pid of left) process.kill(pid, 'SIGKILL');
    assert.deepEqual(left, []);
  });

  it('4 workers share one circus socket: requests are answered by several distinct workers, never by circusd', async () => {
    const port = await freePort();
    const log = path.join(box.dir, 'web.log');
    const text = fs
      .readFileSync(path.join(ROOT, 'examples/http-workers/circus.ini'), 'utf8')
      .replace(/^port = 8765$/m, `port = ${port}`)
      .replace(/^endpoint = .*$/m, `endpoint = ipc://${box.dir}/ctl.sock`)
      .replace(/^pubsub_endpoint = .*$/m, `pubsub_endpoint = ipc://${box.dir}/pub.sock`)
      .replace(/^cmd = node examples\//m, `cmd = ${process.execPath} ${ROOT}/examples/`)
      .replace(/^stdout_stream\.filename = .*$/m, `stdout_stream.filename = ${log}`);
    assert.ok(text.includes(`port = ${port}`) && text.includes(log), 'the example config has the lines this test rewrites');
    const config = path.join(box.dir, 'circus.ini');
    fs.writeFileSync(config, text);
    const run = box.start([config]);
    const workers = (): number[] => processesWith(`${ROOT}/examples/http-workers/server.js`);
    await waitFor('4 workers', () => workers().length === 4 || undefined);
    // Which worker accepts is the kernel's choice; on a loaded machine one
    // worker can win a whole batch, so batches go on (bounded) until a
    // second worker has answered.
    const answers: { pid: number; url: string }[] = [];
    const distinct = (): number => new Set(answers.map((a) => a.pid)).size;
    for (let batch = 0; batch < 4 || (distinct() < 2 && batch < 20); batch += 1) {
      answers.push(...(await Promise.all(Array.from({ length: 10 }, (_, i) => get(port, `/r${batch * 10 + i}`)))));
    }
    const pids = new Set(answers.map((a) => a.pid));
    const live = workers();
    for (const pid of pids) assert.ok(live.includes(pid), `answer from worker ${pid}, never from circusd (${run.pid})`);
    assert.ok(pids.size >= 2, `several workers answered (${[...pids].join(', ')})`);
    await waitFor('request lines in the stream file', () => {
      const body = fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '';
      return (body.match(/ GET \/r\d+/g) ?? []).length === answers.length || undefined;
    });
    run.child.kill('SIGTERM');
    const status = await run.exited;
    assert.equal(status.code, 0);
    assert.deepEqual(workers(), []);
  });

  it('a port already in use: circusd exits 1 with an error naming the socket and the address, no worker started', async () => {
    const port = await freePort();
    const busy = http.createServer();
    await new Promise<void>((r) => busy.listen(port, '127.0.0.1', r));
    try {
      const config = box.writeConfig(
        'busy.ini',
        `[circus]\nendpoint = ipc://{dir}/ctl.sock\npubsub_endpoint = ipc://{dir}/pub.sock\n\n[socket:web]\nhost = 127.0.0.1\nport = ${port}\n\n[watcher:w]\ncmd = {node} {worker} {dir}\nuse_sockets = true\n`,
      );
      const result = await box.run([config]);
      assert.equal(result.code, 1);
      assert.match(result.stderr, new RegExp(`socket 'web': could not bind 127\\.0\\.0\\.1:${port}: bind: \\[Errno 98\\] Address already in use`));
      assert.doesNotMatch(result.stderr, /unexpected/, 'a busy port is an expected failure, not a crash');
      assert.deepEqual(box.workerPids(), []);
    } finally {
      await new Promise((r) => busy.close(r));
    }
  });
});
