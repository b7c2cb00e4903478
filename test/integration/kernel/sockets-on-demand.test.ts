import { strict as assert } from 'node:assert';
import { Arbiter, createArbiter, defaultCircusConfig } from '../../../kernel';
import { cleanup, fixture, makeTmp, MemoryLogger, processesWith, waitFor } from './helpers';
import { ask, socketRecord } from './sockets-helpers';

describe('kernel integration: on_demand watchers', function () {
  this.timeout(20000);
  let tmp: string;
  let arbiter: Arbiter | null;

  beforeEach(() => {
    tmp = makeTmp();
    arbiter = null;
  });

  afterEach(async () => {
    const left = await cleanup(arbiter, tmp);
    assert.deepEqual(left, [], 'no fixture process may outlive the test');
  });

  it('spawns nothing until a client connects; then the workers start and one of them serves that very connection', async () => {
    arbiter = createArbiter({
      config: defaultCircusConfig({
        check_delay: 0.1,
        sockets: [socketRecord('web', { host: '127.0.0.1', port: '0' })],
        watchers: [
          {
            name: 'lazy',
            cmd: process.execPath,
            args: [fixture('socket-server.js'), '$(circus.sockets.web)', 'tcp', tmp],
            numprocesses: 2,
            use_sockets: true,
            on_demand: true,
            graceful_timeout: 1,
          },
        ],
      }),
      logger: new MemoryLogger(),
    });
    const sockets = arbiter.sockets;
    let polls = 0;
    const poll = sockets.anyReadable.bind(sockets);
    sockets.anyReadable = () => {
      polls += 1;
      return poll();
    };
    await arbiter.start();
    const w = arbiter.getWatcher('lazy');
    const port = arbiter.sockets.get('web')!.port!;
    // Several housekeeping passes go by with the socket idle: still nothing.
    await waitFor('three idle polls', () => polls >= 3);
    assert.equal(w.status, 'stopped');
    assert.deepEqual(processesWith(tmp), []);
    const answer = await ask({ host: '127.0.0.1', port }, 10000);
    assert.ok(w.pids.includes(Number(answer)), 'the pending connection was accepted by a worker, not by circusd');
    await waitFor('both workers, watcher active', () => w.pids.length === 2 && w.status === 'active');
  });
});
