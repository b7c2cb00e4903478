/** The control endpoint plugin: what cli/ registers and tests drive. */
export { ControlPlugin, MAX_MESSAGE_SIZE } from './control-plugin';
export { ControlDispatcher } from './dispatcher';
export { DiscoveryBinding, DiscoveryResponder, MulticastTarget, parseMulticastEndpoint } from './discovery';
export { IPC_FILE_MODE, ipcPath } from './endpoint-file';
export { ControlEndpointError } from './errors';
