/**
 * What the panel server needs of one daemon: the face of the DaemonBridge
 * (plugins/httpd/bridge/) it uses. The router, REST API and websocket hub
 * depend on this interface only, so their logic is tested against a fake
 * and does not care how the bridge talks to circusd.
 */
import type { Disposable } from '../../kernel/index';
import type { DaemonInfo, PanelMessage, WatcherState } from './bridge/index';

export type { DaemonInfo, PanelMessage, StatSample, WatcherState } from './bridge/index';

/** The panel's view of one daemon (a DaemonBridge satisfies it). */
export interface PanelDaemon {
  readonly id: string;
  info(): DaemonInfo;
  state(): WatcherState[];
  /**
   * Runs a Circus command; resolves with the Circus reply as is (an error
   * reply included) and rejects only when the daemon did not answer.
   */
  call(command: string, properties: Record<string, unknown>): Promise<Record<string, unknown>>;
  onMessage(listener: (message: PanelMessage) => void): Disposable;
}
