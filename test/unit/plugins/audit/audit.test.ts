import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultCircusConfig, EventBus } from '../../../../kernel';
import { AuditFile, AuditLogError, AuditPlugin, commandLine, zapLine } from '../../../../plugins/audit';
import { MemoryLogger } from '../../../support/memory-logger';

const KEY = 'rq:rM>}U?@Lns47E1%kR.o@n%FcmmsL/@{H8]yf7';

describe('audit plugin', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('log lines: who is the bound key or the transport and routing id; client text is JSON-encoded (no forged lines)', () => {
    assert.equal(
      commandLine({ time: 1, command: 'add', properties: { name: 'x\n2026 circus[1] [INFO] forged', cmd: 'sh' }, who: { routing_id: '6f7073', transport: 'ipc' }, status: 'ok' }),
      'command add by ipc routing id 6f7073: ok properties {"name":"x\\n2026 circus[1] [INFO] forged","cmd":"sh"}',
    );
    assert.equal(
      commandLine({ time: 1, command: 'stop', properties: { name: 'nope' }, who: { key: KEY, routing_id: 'ab', transport: 'tcp' }, status: 'error', errno: 3, reason: 'program nope\nnot found' }),
      `command stop by curve:${KEY} (tcp): error 3 properties {"name":"nope"} reason "program nope\\nnot found"`,
    );
    assert.equal(commandLine({ time: 1, command: 'set', properties: {}, who: { routing_id: 'ab', transport: 'tcp' }, status: 'cast' }), 'command set by tcp routing id ab: cast properties {}');
    assert.equal(
      zapLine({ time: 1, address: '127.0.0.1', key: KEY, mechanism: 'CURVE', domain: 'circus', allowed: false, reason: 'key not authorized' }),
      `zap refused key ${KEY} from 127.0.0.1 (CURVE, domain "circus"): key not authorized`,
    );
    assert.equal(zapLine({ time: 1, address: '', key: null, mechanism: 'NULL', domain: 'x', allowed: false, reason: 'r' }), 'zap refused key (none) from (local) (NULL, domain "x"): r');
  });

  it('the file: created 0600, an existing one narrowed to 0600 and appended to', () => {
    const fresh = path.join(dir, 'fresh.jsonl');
    const f = AuditFile.open(fresh);
    f.append({ a: 1 });
    f.close();
    assert.equal(fs.statSync(fresh).mode & 0o777, 0o600);
    const old = path.join(dir, 'old.jsonl');
    fs.writeFileSync(old, '{"before":true}\n');
    fs.chmodSync(old, 0o644);
    const g = AuditFile.open(old);
    g.append({ b: 'x\ny' });
    g.close();
    g.close();
    assert.equal(fs.statSync(old).mode & 0o777, 0o600);
    assert.equal(fs.readFileSync(old, 'utf8'), '{"before":true}\n{"b":"x\\ny"}\n');
    assert.throws(() => AuditFile.open(path.join(dir, 'missing', 'a.jsonl')), (e: unknown) => e instanceof AuditLogError && /^\[circus\] audit_log: cannot open .*missing\/a\.jsonl/.test((e as Error).message));
  });

  it('writes both event kinds to the log and, with audit_log (relative to the INI folder), to the file; stops listening at stop', async () => {
    const logger = new MemoryLogger('circus.audit');
    const bus = new EventBus(logger);
    const ini = path.join(dir, 'circus.ini');
    const plugin = new AuditPlugin(defaultCircusConfig({ audit_log: 'audit.jsonl' }), ini, bus, logger);
    await plugin.start();
    bus.emit('audit.zap', 'circusd', { time: 2, address: '127.0.0.1', key: KEY, mechanism: 'CURVE', domain: 'circus', allowed: true, reason: 'authorized key' });
    bus.emit('audit.command', 'circusd', { time: 3, command: 'quit', properties: {}, who: { key: KEY, routing_id: 'ab', transport: 'tcp' }, status: 'ok' });
    await plugin.stop();
    bus.emit('audit.command', 'circusd', { time: 4, command: 'rm', properties: {}, who: { routing_id: 'ab', transport: 'tcp' }, status: 'ok' });
    const lines = fs.readFileSync(path.join(dir, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as unknown);
    assert.deepEqual(lines, [
      { type: 'zap', time: 2, address: '127.0.0.1', key: KEY, mechanism: 'CURVE', domain: 'circus', allowed: true, reason: 'authorized key' },
      { type: 'command', time: 3, command: 'quit', properties: {}, who: { key: KEY, routing_id: 'ab', transport: 'tcp' }, status: 'ok' },
    ]);
    assert.deepEqual(logger.notices, [`INFO zap allowed key ${KEY} from 127.0.0.1 (CURVE, domain "circus"): authorized key`, `INFO command quit by curve:${KEY} (tcp): ok properties {}`]);
  });

  it('without audit_log only the log; an audit file that cannot be opened fails the start', async () => {
    const logger = new MemoryLogger('circus.audit');
    const bus = new EventBus(logger);
    const plugin = new AuditPlugin(defaultCircusConfig({}), null, bus, logger);
    await plugin.start();
    bus.emit('audit.command', 'circusd', { time: 3, command: 'incr', properties: { name: 'w' }, who: { routing_id: 'ab', transport: 'ipc' }, status: 'ok' });
    await plugin.stop();
    assert.deepEqual(logger.notices, ['INFO command incr by ipc routing id ab: ok properties {"name":"w"}']);
    const broken = new AuditPlugin(defaultCircusConfig({ audit_log: 'no/such/dir/a.jsonl' }), path.join(dir, 'c.ini'), bus, logger);
    await assert.rejects(broken.start(), AuditLogError);
  });
});
