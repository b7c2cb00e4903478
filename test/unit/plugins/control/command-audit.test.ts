import { strict as assert } from 'node:assert';
import { curveKeyPair } from 'zeromq';
import { type CircusEvent, EventBus } from '../../../../kernel';
import { commandLine } from '../../../../plugins/audit';
import { AUDITED_COMMANDS, CommandAudit, MAX_AUDIT_DEPTH, nestsDeeperThan, transportOf } from '../../../../plugins/control/command-audit';
import type { CurveServerKeys } from '../../../../protocol/curve-server';
import { MemoryLogger } from '../../../support/memory-logger';

function rig(curve: CurveServerKeys | null): { audit: CommandAudit; seen: CircusEvent<'audit.command'>[] } {
  const bus = new EventBus(new MemoryLogger());
  const seen: CircusEvent<'audit.command'>[] = [];
  bus.on('audit.command', (e) => seen.push(e));
  return { audit: new CommandAudit(bus, 'tcp', curve, () => 42), seen };
}

const body = (o: unknown): Buffer => Buffer.from(JSON.stringify(o));
const ok = (id: string): Buffer => Buffer.from(JSON.stringify({ status: 'ok', time: 1, id }));

describe('control endpoint audit (audit.command)', () => {
  it('the 13 state-changing commands are audited, read-only ones and non-requests are not', () => {
    assert.deepEqual([...AUDITED_COMMANDS].sort(), ['add', 'decr', 'incr', 'kill', 'quit', 'reload', 'reloadconfig', 'restart', 'rm', 'set', 'signal', 'start', 'stop']);
    const { audit } = rig(null);
    const id = Buffer.from('x');
    assert.equal(audit.begin(id, body({ command: 'status' })), null);
    assert.equal(audit.begin(id, body({ command: 'globaloptions' })), null);
    assert.equal(audit.begin(id, Buffer.from('not json')), null);
    assert.equal(audit.begin(id, body({ properties: {} })), null);
    assert.notEqual(audit.begin(id, body({ command: 'STOP' })), null);
  });

  it('reports the exact properties, the status from the reply (errno and reason of an error), a cast as such', () => {
    const { audit, seen } = rig(null);
    const id = Buffer.from('ops');
    audit.begin(id, body({ id: 'a', command: 'incr', properties: { name: 'w', nb: 2 } }))?.(ok('a'));
    audit.begin(id, body({ id: 'b', command: 'stop', properties: { name: 'nope' } }))?.(Buffer.from(JSON.stringify({ status: 'error', errno: 3, reason: 'program nope not found', id: 'b' })));
    audit.begin(id, body({ id: 'c', command: 'set', msg_type: 'cast', properties: { name: 'w' } }))?.(null);
    audit.begin(id, body({ id: 'd', command: 'quit' }))?.(null);
    const who = { routing_id: '6f7073', transport: 'tcp' };
    assert.deepEqual(seen.map((e) => [e.watcher, e.payload]), [
      ['circusd', { time: 42, command: 'incr', properties: { name: 'w', nb: 2 }, who, status: 'ok' }],
      ['circusd', { time: 42, command: 'stop', properties: { name: 'nope' }, who, status: 'error', errno: 3, reason: 'program nope not found' }],
      ['circusd', { time: 42, command: 'set', properties: { name: 'w' }, who, status: 'cast' }],
      ['circusd', { time: 42, command: 'quit', properties: {}, who, status: 'error', reason: 'dropped without a reply' }],
    ]);
  });

  it('who: `curve:K` binds to K only with CURVE on and K authorized', () => {
    const alice = curveKeyPair().publicKey;
    const curve: CurveServerKeys = { keys: curveKeyPair(), authorized: new Set([alice]) };
    const on = rig(curve);
    on.audit.begin(Buffer.from(`curve:${alice}`), body({ command: 'rm', properties: { name: 'w' } }))?.(ok('x'));
    on.audit.begin(Buffer.from(`curve:${curveKeyPair().publicKey}`), body({ command: 'rm' }))?.(ok('x'));
    assert.equal(on.seen[0].payload.who.key, alice);
    assert.equal(on.seen[0].payload.who.routing_id, Buffer.from(`curve:${alice}`).toString('hex'));
    assert.equal('key' in on.seen[1].payload.who, false);
    const off = rig(null);
    off.audit.begin(Buffer.from(`curve:${alice}`), body({ command: 'rm' }))?.(ok('x'));
    assert.equal('key' in off.seen[0].payload.who, false);
  });

  it('properties too deep to re-encode are recorded as the raw request, so nesting cannot hide a command', () => {
    const { audit, seen } = rig(null);
    const n = 300_000;
    const raw = `{"command":"stop","properties":{"name":"w","junk":${'['.repeat(n)}${']'.repeat(n)}}}`;
    audit.begin(Buffer.from('x'), Buffer.from(raw))?.(ok('x'));
    assert.equal(seen.length, 1);
    assert.equal(seen[0].payload.properties, null);
    assert.equal(seen[0].payload.request, raw);
    const line = commandLine(seen[0].payload);
    assert.ok(line.startsWith('command stop by tcp routing id 78: ok request "{\\"command\\":\\"stop\\"'), line.slice(0, 80));
    assert.equal(JSON.parse(JSON.stringify(seen[0].payload)).request, raw);
    assert.equal(nestsDeeperThan({ a: [[1]] }, 3), false);
    assert.equal(nestsDeeperThan({ a: [[{}]] }, 3), true);
    assert.equal(nestsDeeperThan('text', 0), false);
    assert.ok(MAX_AUDIT_DEPTH >= 64);
  });

  it('transportOf: ipc, inproc, and tcp for any network transport', () => {
    assert.equal(transportOf('ipc:///run/c.sock'), 'ipc');
    assert.equal(transportOf('inproc://x'), 'inproc');
    assert.equal(transportOf('tcp://127.0.0.1:5555'), 'tcp');
    assert.equal(transportOf('ws://127.0.0.1:5555'), 'tcp');
  });
});
