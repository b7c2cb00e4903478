import { circusDefaults } from '../../config/index';
import { CircusConfig, WatcherRecord } from '../../config/model';
import { watcherRecord, WatcherOptions } from '../watcher/watcher-record';

/** Overrides accepted by {@link defaultCircusConfig}: watchers may be plain options. */
export type CircusConfigOverrides = Partial<Omit<CircusConfig, 'watchers'>> & {
  readonly watchers?: readonly (WatcherRecord | WatcherOptions)[];
};

function isRecord(w: WatcherRecord | WatcherOptions): w is WatcherRecord {
  return typeof (w as WatcherRecord).__name__ === 'string';
}

/**
 * A complete CircusConfig with the `[circus]` defaults of spec/daemon.md 1.7
 * (multicast discovery off, quirk Q40), for embedding without an INI file.
 */
export function defaultCircusConfig(overrides: CircusConfigOverrides = {}): CircusConfig {
  const watchers = (overrides.watchers ?? []).map((w) => (isRecord(w) ? w : watcherRecord(w)));
  return Object.freeze({
    ...circusDefaults(),
    plugins: [],
    sockets: [],
    ...overrides,
    watchers: Object.freeze(watchers),
  }) as CircusConfig;
}
