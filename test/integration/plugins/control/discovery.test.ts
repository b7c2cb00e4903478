import 'reflect-metadata';
import { strict as assert } from 'node:assert';
import { createSocket, Socket } from 'node:dgram';
import { DiscoveryResponder } from '../../../../plugins/control';
import { MemoryLogger } from '../../../support/memory-logger';
import { freePort, portIsFree, startRig } from './control-helpers';
import { waitFor } from '../../kernel/helpers';

/** Sends one datagram from a loopback socket to 127.0.0.1:port and returns the first answer (bounded). */
async function ask(port: number, payload: Buffer, timeoutMs = 5000): Promise<{ text: string; from: number }> {
  const client: Socket = createSocket('udp4');
  try {
    await new Promise<void>((resolve) => client.bind(0, '127.0.0.1', resolve));
    const answer = new Promise<{ text: string; from: number }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no discovery answer within ${timeoutMs} ms`)), timeoutMs);
      client.once('message', (msg, rinfo) => {
        clearTimeout(timer);
        resolve({ text: msg.toString('utf8'), from: rinfo.port });
      });
    });
    client.send(payload, port, '127.0.0.1');
    return await answer;
  } finally {
    await new Promise<void>((resolve) => client.close(() => resolve()));
  }
}

describe('plugins/control/discovery over loopback (spec/protocol.md 1.9; no multicast group is joined)', () => {
  let responder: DiscoveryResponder | null = null;

  afterEach(async () => {
    await responder?.stop();
    responder = null;
  });

  it('answers any datagram with {"endpoint": ...}, by unicast to the sender', async () => {
    responder = new DiscoveryResponder('tcp://127.0.0.1:5555', new MemoryLogger('control'));
    await responder.start({ address: '127.0.0.1', port: 0, group: null });
    const port = responder.port;
    const first = await ask(port, Buffer.from('""'));
    assert.equal(first.text, '{"endpoint": "tcp://127.0.0.1:5555"}');
    assert.equal(first.from, port);
    // The content is ignored: bytes that mean nothing get the same answer.
    assert.equal((await ask(port, Buffer.from([0xff, 0, 1]))).text, '{"endpoint": "tcp://127.0.0.1:5555"}');
    await responder.stop();
    responder = null;
    await waitFor('the UDP port to be closed', async () => {
      const probe = createSocket('udp4');
      const ok = await new Promise<boolean>((resolve) => {
        probe.once('error', () => resolve(false));
        probe.bind(port, '127.0.0.1', () => resolve(true));
      });
      await new Promise<void>((resolve) => probe.close(() => resolve()));
      return ok;
    });
  });

  it('a multicast_endpoint that is not a multicast address only logs a warning; circusd keeps serving', async () => {
    const port = await freePort();
    const rig = await startRig({ endpoint: `tcp://127.0.0.1:${port}`, multicast_endpoint: 'udp://127.0.0.1:12027' });
    try {
      assert.ok(
        rig.logger.has("WARNING multicast discovery is disabled: '127.0.0.1' is not a multicast address"),
        rig.logger.lines.join('\n'),
      );
    } finally {
      await rig.arbiter.stop();
    }
    await waitFor('the control port to be released', () => portIsFree(port), 5000);
  });

  it('is off by default: no discovery line, no UDP socket', async () => {
    const port = await freePort();
    const rig = await startRig({ endpoint: `tcp://127.0.0.1:${port}` });
    try {
      assert.equal(rig.arbiter.config.multicast_endpoint, '');
      assert.ok(!rig.logger.has('multicast'));
    } finally {
      await rig.arbiter.stop();
    }
  });
});
