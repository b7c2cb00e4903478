/**
 * The panel's daemon bridge (issue 8): one {@link DaemonBridge} per circusd,
 * speaking only the Circus wire. The panel server (plugins/httpd) feeds
 * its REST API and websocket from it.
 */
export { DaemonBridge, EVENT_DEBOUNCE_MS, READ_ONLY_COMMANDS } from './daemon-bridge';
export { BridgeCallError } from './bridge-call-error';
export { connectableEndpoint, readGlobalOptions, type DaemonChannels } from './endpoints';
export type { BridgeTarget, DaemonInfo, PanelMessage, StatSample, WatcherState } from './types';
