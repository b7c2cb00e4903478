import { strict as assert } from 'node:assert';
import { EventBus, eventTopic } from '../../../kernel';
import { MemoryLogger } from '../../integration/kernel/helpers';

// A plugin's own event, added by declaration merging.
declare module '../../../kernel/events' {
  interface CircusEvents {
    'flapping.stop': { time: number; tries: number };
  }
}

describe('kernel/event-bus', () => {
  it('delivers typed events synchronously, in order, with the watcher name', () => {
    const bus = new EventBus(new MemoryLogger());
    const seen: string[] = [];
    bus.on('spawn', (e) => seen.push(`${e.watcher}:${e.payload.process_pid}`));
    bus.onAny((e) => seen.push(`any:${e.name}`));
    bus.emit('spawn', 'web', { process_pid: 42, time: 1.5 });
    bus.emit('stop', 'web', { time: 2 });
    assert.deepEqual(seen, ['web:42', 'any:spawn', 'any:stop']);
  });

  it('a throwing listener is logged and the others still run', () => {
    const logger = new MemoryLogger();
    const bus = new EventBus(logger);
    let reached = false;
    bus.on('reap', () => {
      throw new Error('boom');
    });
    bus.on('reap', () => {
      reached = true;
    });
    bus.emit('reap', 'w', { process_pid: 1, time: 0, exit_code: -9 });
    assert.ok(reached);
    assert.ok(logger.has("ERROR event listener for 'reap' of 'w' failed: boom"));
  });

  it('the disposer unsubscribes; next() resolves on a matching event', async () => {
    const bus = new EventBus(new MemoryLogger());
    let count = 0;
    const sub = bus.on('kill', () => (count += 1));
    bus.emit('kill', 'w', { process_pid: 1, time: 0 });
    sub.dispose();
    sub.dispose();
    bus.emit('kill', 'w', { process_pid: 1, time: 0 });
    assert.equal(count, 1);
    const next = bus.next('start', (e) => e.watcher === 'b');
    bus.emit('start', 'a', { time: 1 });
    bus.emit('start', 'b', { time: 2 });
    assert.equal((await next).payload.time, 2);
  });

  it('builds Circus topics', () => {
    assert.equal(eventTopic('My Web', 'spawn'), 'watcher.my_web.spawn');
  });

  it('carries plugin events declared by merging, fully typed', () => {
    const bus = new EventBus(new MemoryLogger());
    let tries = 0;
    bus.on('flapping.stop', (e) => (tries = e.payload.tries));
    bus.emit('flapping.stop', 'w', { time: 1, tries: 3 });
    assert.equal(tries, 3);
  });
});
