import 'reflect-metadata';
import { strict as assert } from 'node:assert';
import { container, inject, injectable } from 'tsyringe';
import { CorePlugin, DisposableStore, KernelContainer, Logger, PluginError, PluginHost, toDisposable } from '../../../kernel';
import { MemoryLogger } from '../../integration/kernel/helpers';

const journal: string[] = [];
const Greeting = Symbol('Greeting');

@injectable()
class First implements CorePlugin {
  constructor(@inject(Logger) private readonly logger: Logger, @inject(Greeting) private readonly greeting: string) {}
  async start(): Promise<void> {
    journal.push(`start first ${this.logger.name} ${this.greeting}`);
  }
  async stop(): Promise<void> {
    journal.push('stop first');
  }
}

@injectable()
class Second implements CorePlugin {
  async start(): Promise<void> {
    journal.push('start second');
  }
  async stop(): Promise<void> {
    journal.push('stop second');
  }
}

@injectable()
class Hanging implements CorePlugin {
  start(): Promise<void> {
    return new Promise(() => undefined);
  }
  async stop(): Promise<void> {
    journal.push('stop hanging');
  }
}

function host(): PluginHost {
  const c = container.createChildContainer();
  c.register(KernelContainer, { useValue: c });
  return new PluginHost(c, new MemoryLogger());
}

describe('kernel/plugin-host', () => {
  beforeEach(() => journal.splice(0));

  it('starts plugins in order in child containers with their own logger, stops them in reverse', async () => {
    const h = host();
    h.register({ name: 'first', plugin: First, configure: (c) => c.register(Greeting, { useValue: 'hello' }) });
    h.register({ name: 'second', plugin: Second });
    await h.startAll();
    assert.deepEqual(h.started, ['first', 'second']);
    await h.stopAll();
    assert.deepEqual(journal, ['start first first hello', 'start second', 'stop second', 'stop first']);
  });

  it('a plugin exceeding the start timeout fails the start and the started ones are stopped', async () => {
    const h = host();
    h.register({ name: 'second', plugin: Second });
    h.register({ name: 'hang', plugin: Hanging });
    await assert.rejects(h.startAll(0.05), (err: unknown) => err instanceof PluginError && /plugin 'hang'.*0.05 s/.test(err.message));
    assert.deepEqual(journal, ['start second', 'stop second']);
  });

  it('DisposableStore releases in reverse order, once', () => {
    const order: number[] = [];
    const store = new DisposableStore();
    store.add(toDisposable(() => order.push(1)));
    store.add(toDisposable(() => order.push(2)));
    store.dispose();
    store.dispose();
    store.add(toDisposable(() => order.push(3)));
    assert.deepEqual(order, [2, 1, 3]);
  });
});
