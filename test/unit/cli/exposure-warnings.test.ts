import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCircusd } from '../../../cli/circusd/run';
import type { ArbiterHandle, ArbiterOutcome, CircusdSeams } from '../../../cli/circusd/seams';
import { defaultCircusConfig, type CircusConfigOverrides } from '../../../kernel/index';

/**
 * circusd's start warnings about endpoints beyond loopback without CURVE,
 * with scripted seams: the config names 0.0.0.0 and `*`, but nothing is
 * ever bound (the arbiter is a stub that quits once started).
 */
describe('cli/circusd: loud start warnings for endpoints beyond loopback', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'circusd-exposure-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function startLog(overrides: CircusConfigOverrides): Promise<string> {
    const configFile = path.join(dir, 'c.ini');
    const logFile = path.join(dir, 'c.log');
    fs.writeFileSync(configFile, '');
    const seams: CircusdSeams = {
      loadConfig: () => ({ config: defaultCircusConfig({ logoutput: logFile, ...overrides }), warnings: [] }),
      constructionWarnings: () => [],
      formatConfig: (c) => JSON.stringify(c),
      createArbiter: (): ArbiterHandle => {
        let finish!: (o: ArbiterOutcome) => void;
        const done = new Promise<ArbiterOutcome>((resolve) => (finish = resolve));
        return {
          start: async () => finish('quit'),
          reload: async () => undefined,
          requestStop: () => finish('quit'),
          done,
          emergencyStop: async () => undefined,
        };
      },
      isConfigError: () => false,
    };
    const code = await runCircusd([configFile], seams, { out: () => undefined, err: () => undefined }, { script: 'unused', env: {} });
    assert.equal(code, 0);
    return fs.readFileSync(logFile, 'utf8');
  }

  it('one WARNING line per exposed endpoint, before the arbiter starts', async () => {
    const log = await startLog({ endpoint: 'tcp://0.0.0.0:5555', pubsub_endpoint: 'tcp://*:5556', stats_endpoint: 'tcp://10.1.2.3:5557', statsd: true });
    const lines = log.split('\n').filter((l) => l.includes('SECURITY WARNING'));
    assert.equal(lines.length, 3);
    for (const l of lines) assert.match(l, /circus\[\d+\] \[WARNING\] SECURITY WARNING: the /);
    assert.match(lines[0], /endpoint = tcp:\/\/0\.0\.0\.0:5555/);
    assert.match(lines[1], /pubsub_endpoint = tcp:\/\/\*:5556/);
    assert.match(lines[2], /stats_endpoint = tcp:\/\/10\.1\.2\.3:5557/);
  });

  it('nothing with loopback endpoints, nor with CURVE on', async () => {
    assert.doesNotMatch(await startLog({}), /SECURITY WARNING/);
    assert.doesNotMatch(await startLog({ endpoint: 'tcp://0.0.0.0:5555', curve_secret_key: 's.key_secret', curve_authorized_keys: ['c.key'] }), /SECURITY WARNING/);
  });
});
