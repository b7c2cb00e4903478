#!/usr/bin/env node
'use strict';
/**
 * An out-of-process plugin written against the wire protocol alone, the way
 * Circus plugins in any language work (docs/plugins.md): a DEALER socket on
 * the control endpoint to call commands, a SUB socket on the pub/sub
 * endpoint subscribed to `watcher.` for events. It depends on nothing of
 * circus-ts, only on the `zeromq` package.
 *
 *   node watch-and-list.js [--endpoint tcp://127.0.0.1:5555] [--pubsub tcp://127.0.0.1:5556] [--count N]
 *
 * Prints `watchers: a, b` (the `list` command), then one line per event
 * (`<topic> <json>`), and after each `start`/`stop` event lists again.
 * With --count N it exits after N events; otherwise on SIGINT/SIGTERM.
 */
const crypto = require('crypto');
const zmq = require('zeromq');

function option(name, fallback) {
  const at = process.argv.indexOf(name);
  return at > 0 && at + 1 < process.argv.length ? process.argv[at + 1] : fallback;
}

const endpoint = option('--endpoint', 'tcp://127.0.0.1:5555');
const pubsub = option('--pubsub', 'tcp://127.0.0.1:5556');
const count = Number(option('--count', '0'));

const dealer = new zmq.Dealer({ linger: 0, receiveTimeout: 5000 });
const sub = new zmq.Subscriber({ linger: 0 });

/** One request, one reply: `{command, properties, id}` -> `{status, ..., id}`. */
async function call(command, properties = {}) {
  const id = crypto.randomUUID().replace(/-/g, '');
  await dealer.send(JSON.stringify({ command, properties, id }));
  for (;;) {
    const [frame] = await dealer.receive();
    const reply = JSON.parse(frame.toString());
    if (reply.id === id) {
      if (reply.status !== 'ok') throw new Error(reply.reason);
      return reply;
    }
  }
}

async function listWatchers() {
  const reply = await call('list');
  process.stdout.write(`watchers: ${reply.watchers.join(', ')}\n`);
}

async function main() {
  dealer.connect(endpoint);
  sub.connect(pubsub);
  sub.subscribe('watcher.');
  let stopping = false;
  const stop = () => {
    stopping = true;
    sub.close();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await listWatchers();
  let seen = 0;
  try {
    for await (const [topic, body] of sub) {
      process.stdout.write(`${topic.toString()} ${body.toString()}\n`);
      const event = topic.toString().slice(topic.lastIndexOf('.') + 1);
      if (event === 'start' || event === 'stop') await listWatchers();
      seen += 1;
      if (count > 0 && seen >= count) break;
    }
  } catch (err) {
    if (!stopping) throw err;
  }
  if (!sub.closed) sub.close();
  dealer.close();
}

main().catch((err) => {
  process.stderr.write(`watch-and-list: ${err.message}\n`);
  process.exit(1);
});
