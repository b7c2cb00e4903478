/**
 * `[circus] publish_output` with the built circusd: child output published
 * as `output.<resname>.<stdout|stderr>` on the pubsub socket, seen by a real
 * SUB socket, while the streams still get every byte; nothing under
 * `output.` with the option off; the `globaloptions` reply's top-level
 * `publish_output` field.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { decodeOutput, DecodedOutput } from '../../../../protocol/output-topics';
import { CircusdRun, FIXTURES, waitFor } from '../../cli/circusd-harness';
import { Control, EventTap, pubsubRig, RawEvent } from './pubsub-helpers';

const PRINTER = path.join(FIXTURES, 'printer.js');

/** What test/fixtures/cli/printer.js writes on stdout. */
function stdoutOf(pid: number): string {
  let out = '';
  for (let i = 0; i < 50; i++) out += `out ${pid} ${i} é€😀\n`;
  return `${out}${'€'.repeat(100000)}\nend ${pid}\n`;
}

/** What test/fixtures/cli/printer.js writes on stderr. */
function stderrOf(pid: number): string {
  let err = '';
  for (let i = 0; i < 20; i++) err += `err ${pid} ${i} ü\n`;
  return err;
}

function config(publishOutput: boolean): string {
  return `[circus]
check_delay = 1
endpoint = ipc://{dir}/ctl.sock
pubsub_endpoint = ipc://{dir}/pub.sock
${publishOutput ? 'publish_output = true\n' : ''}
[watcher:filed]
cmd = {node} ${PRINTER} {dir}
autostart = false
graceful_timeout = 1
stdout_stream.class = FileStream
stdout_stream.filename = {dir}/filed.out
stderr_stream.class = FileStream
stderr_stream.filename = {dir}/filed.err

[watcher:con sole]
cmd = {node} ${PRINTER} {dir}
autostart = false
graceful_timeout = 1
stdout_stream.class = StdoutStream
`;
}

/** The exact body shape: pid first, then data (ASCII only: json.dumps escapes the rest), then a float time. */
const OUTPUT_BODY = /^\{"pid": \d+, "data": "[\x20-\x7e]*", "time": \d+\.\d+\}$/;

describe('circusd publish_output: child output on pubsub under output. (plugins/pubsub, protocol/output-topics)', function () {
  this.timeout(90_000);
  const rig = pubsubRig();

  /** Starts circusd, connects a SUB to `watcher.` and `output.`, beats the slow joiner. */
  function daemon(publishOutput: boolean): Promise<{ ctl: Control; tap: EventTap }> {
    return rig.daemon(config(publishOutput), 'filed', async (ctl) => {
      await waitFor('the control socket', () => existsSync(path.join(rig.box.dir, 'ctl.sock')) || undefined, 20_000);
      // The control socket opens before the arbiter's start-all ends, and `set` is refused (errno 5) until then.
      for (let i = 0; i < 500 && (await ctl.request('set', { name: 'filed', options: { retry_in: 1 }, waiting: true })).status !== 'ok'; i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
    }, ['output.']);
  }

  async function startWatcher(ctl: Control, name: string): Promise<number> {
    await ctl.call('start', { name, waiting: true });
    const pids = (await ctl.call('list', { name })).pids as number[];
    assert.equal(pids.length, 1, `${name}: ${JSON.stringify(pids)}`);
    return pids[0];
  }

  /** The decoded chunks of one topic, each body checked for its exact shape. */
  function chunks(events: RawEvent[], topic: string): DecodedOutput[] {
    return events
      .filter((e) => e.topic === topic)
      .map((e) => {
        assert.match(e.body, OUTPUT_BODY);
        const d = decodeOutput(e.topic, e.body);
        assert.ok(d, e.body);
        return d;
      });
  }

  const text = (cs: DecodedOutput[]): string => cs.map((c) => c.data).join('');

  it('publishes FileStream and StdoutStream output with the right pid, stream and text; the streams still get every byte', async () => {
    const { ctl, tap } = await daemon(true);
    const from = tap.mark();
    const filed = await startWatcher(ctl, 'filed');
    const con = await startWatcher(ctl, 'con sole');
    const topics = ['output.filed.stdout', 'output.filed.stderr', 'output.con_sole.stdout'];
    const want: Record<string, string> = {
      'output.filed.stdout': stdoutOf(filed),
      'output.filed.stderr': stderrOf(filed),
      'output.con_sole.stdout': stdoutOf(con),
    };
    const events = await tap.until('all the output', from, 'output.', (evs) => topics.every((t) => text(chunks(evs, t)).length >= want[t].length), 30_000);
    for (const t of topics) {
      const cs = chunks(events, t);
      assert.equal(text(cs), want[t], t);
      assert.ok(cs.every((c) => !c.data.includes('\ufffd')), `${t}: no chunk cuts a character`);
      assert.ok(cs.every((c) => c.pid === (t.includes('filed') ? filed : con) && c.time > 1.6e9), t);
    }
    assert.ok(chunks(events, 'output.filed.stdout').length > 1, 'the 300 KB line came in several chunks');
    assert.deepEqual(
      [...new Set(events.map((e) => e.topic))].sort(),
      [...topics].sort(),
      'nothing else under output. (no stderr stream on con sole: not piped)',
    );
    assert.equal(tap.since(from, 'watcher.').filter((e) => e.topic.endsWith('.stdout') || e.topic.endsWith('.stderr')).length, 0);
    // The streams got every byte, as without the option.
    const outFile = path.join(rig.box.dir, 'filed.out');
    await waitFor('the files', () => statSync(outFile).size >= Buffer.byteLength(want['output.filed.stdout']) || undefined, 20_000);
    assert.equal(readFileSync(outFile, 'utf8'), want['output.filed.stdout']);
    assert.equal(readFileSync(path.join(rig.box.dir, 'filed.err'), 'utf8'), want['output.filed.stderr']);
    const daemonOut = (): string => (rig.run as CircusdRun).stdout();
    await waitFor('the StdoutStream output on circusd stdout', () => daemonOut().includes(`end ${con}\n`) || undefined, 20_000);
    assert.ok(daemonOut().includes(`out ${con} 49 `));
  });

  it('globaloptions carries a top-level publish_output: true (never inside options), with option= too', async () => {
    const { ctl } = await daemon(true);
    const all = await ctl.call('globaloptions');
    assert.deepEqual(Object.keys(all), ['status', 'time', 'options', 'publish_output', 'id']);
    assert.equal(all.publish_output, true);
    assert.deepEqual(Object.keys(all.options as object), ['endpoint', 'stats_endpoint', 'pubsub_endpoint', 'check_delay', 'multicast_endpoint']);
    const one = await ctl.call('globaloptions', { option: 'check_delay' });
    assert.deepEqual(one.options, { check_delay: 1 });
    assert.equal(one.publish_output, true);
    const bad = await ctl.request('globaloptions', { option: 'nope' });
    assert.equal(bad.status, 'error');
    assert.equal('publish_output' in bad, false);
  });

  it('with publish_output off nothing is published under output. and globaloptions is Circus\'s reply', async () => {
    const { ctl, tap } = await daemon(false);
    const from = tap.mark();
    const filed = await startWatcher(ctl, 'filed');
    const con = await startWatcher(ctl, 'con sole');
    const outFile = path.join(rig.box.dir, 'filed.out');
    await waitFor('the file', () => statSync(outFile).size >= Buffer.byteLength(stdoutOf(filed)) || undefined, 20_000);
    await waitFor('circusd stdout', () => (rig.run as CircusdRun).stdout().includes(`end ${con}\n`) || undefined, 20_000);
    assert.equal(readFileSync(outFile, 'utf8'), stdoutOf(filed));
    // One more event after the output: had any chunk been published, it would have come before it.
    const after = tap.mark();
    await ctl.call('set', { name: 'filed', options: { retry_in: 1 }, waiting: true });
    await tap.until('the updated event', after, 'watcher.filed.updated', (evs) => evs.length > 0);
    assert.deepEqual(tap.since(from, 'output.'), []);
    const all = await ctl.call('globaloptions');
    assert.deepEqual(Object.keys(all), ['status', 'time', 'options', 'id']);
  });
});
