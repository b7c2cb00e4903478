'use strict';
/**
 * An in-process circus-ts plugin in plain JavaScript (docs/plugins.md).
 *
 *   [plugin:logger]
 *   use = ./plugins/inprocess-logger:plugin
 *   file = /tmp/events.log        ; optional: also append each line here
 *   list_every = 10               ; optional: log `list` every 10 s
 *
 * A plugin module exports a descriptor: its name, the schema of its
 * options (checked before any plugin starts) and the plugin class. A class
 * without decorators is built as `new Plugin(context, options)`; a
 * TypeScript class may instead take them with @inject(PluginContext) and
 * @inject(PluginOptions).
 */
const fs = require('fs');

class EventLogger {
  constructor(context, options) {
    // No I/O here: start() does it, stop() undoes it.
    this.context = context;
    this.options = options;
    this.subscriptions = [];
  }

  async start() {
    const { context, options } = this;
    // Events arrive one tick after the kernel produced them, with Circus's payloads.
    this.subscriptions.push(
      context.onAny((event) => this.write(`${options.prefix} ${event.watcher} ${event.name} ${JSON.stringify(event.payload)}`)),
    );
    if (options.list_every > 0) {
      // Never overlaps itself; a run that throws is logged and the period goes on.
      this.subscriptions.push(
        context.every(options.list_every, async () => {
          const reply = await context.call('list');
          this.write(`${options.prefix} watchers: ${reply.watchers.join(', ')}`);
        }),
      );
    }
    this.write(`${options.prefix} ${context.name} started`);
  }

  async stop() {
    // The host disposes everything registered through the context anyway; being tidy costs nothing.
    for (const s of this.subscriptions.splice(0)) s.dispose();
    this.write(`${this.options.prefix} ${this.context.name} stopped`);
  }

  write(line) {
    this.context.logger.info(line);
    if (this.options.file) fs.appendFileSync(this.options.file, `${line}\n`);
  }
}

/** The descriptor circusd reads (`use = ./plugins/inprocess-logger:plugin`; `plugin` is also the default export name). */
exports.plugin = {
  name: 'inprocess-logger',
  honoursActive: true,
  options: {
    prefix: { type: 'string', default: 'event' },
    file: { type: 'string' },
    list_every: { type: 'float', default: 0, min: 0 },
  },
  plugin: EventLogger,
};
