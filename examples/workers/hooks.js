'use strict';
// Hook functions for examples/hooks.ini (spec/daemon.md 5.3: each receives
// one context object and returns true to let the operation go on).
exports.beforeStart = ({ watcher, hook_name }) => {
  process.stdout.write(`hook ${hook_name} for ${watcher && watcher.name}\n`);
  return true;
};

exports.afterSpawn = ({ pid }) => {
  process.stdout.write(`spawned pid ${pid}\n`);
  return true;
};

exports.afterStop = ({ watcher }) => {
  process.stdout.write(`${watcher && watcher.name} stopped\n`);
  return true;
};

exports.checks = {
  beforeSignal: ({ pid, signum }) => {
    process.stdout.write(`about to send signal ${signum} to ${pid}\n`);
    return true;
  },
};
