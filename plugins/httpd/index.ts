/**
 * The web panel (issue 8, spec/daemon.md 6.5): run in circusd as the
 * `circushttpd` facade when `[circus] httpd` is true, or standalone by the
 * `circushttpd` command over one or several daemons.
 */
import { isIP } from 'node:net';
import type { CircusConfig, PluginDescriptor } from '../../kernel/index';
import { HttpdPlugin, HTTPD_FACADE_NAME } from './httpd-plugin';

export { HttpdPlugin, HTTPD_FACADE_NAME, LOCAL_DAEMON_ID } from './httpd-plugin';
export { hostPort } from './http-io';
export { PanelServer, type ListenTarget, type PanelServerOptions } from './panel-server';
export { hashPassword, PasswordVerifier, DEFAULT_SCRYPT_COST } from './password';
export { HttpdConfigError, HttpdListenError, HttpRequestError } from './errors';
export type { PanelDaemon } from './panel-daemon';
export { API_COMMANDS, READ_ONLY_COMMANDS } from './rest-api';

/** The panel as a plugin descriptor (no options: it reads `[circus]`), for the facade. */
export const httpdPluginDescriptor: PluginDescriptor = {
  name: HTTPD_FACADE_NAME,
  options: {},
  honoursActive: false,
  plugin: HttpdPlugin,
};

/**
 * The `circushttpd` circus socket Circus adds for the web console
 * (`httpd_host`, `httpd_port`; an IPv6 address binds AF_INET6). circusd
 * binds it with the other sockets at start; the panel listens on a copy.
 */
export function httpdSocketRecord(config: Pick<CircusConfig, 'httpd_host' | 'httpd_port'>): CircusConfig['sockets'][number] {
  const host = config.httpd_host.replace(/^\[(.*)\]$/, '$1');
  return {
    name: HTTPD_FACADE_NAME,
    __name__: `socket:${HTTPD_FACADE_NAME}`,
    host,
    port: String(config.httpd_port),
    ...(isIP(host) === 6 ? { family: 'AF_INET6' } : {}),
    so_reuseport: false,
    replace: false,
  };
}
