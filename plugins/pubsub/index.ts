/** The pubsub endpoint plugin: what cli/ registers and tests drive. */
export { MAX_QUEUED_EVENTS, PubsubPlugin } from './pubsub-plugin';
export { OUTPUT_BUDGET, OutputBudget, OutputForwarder } from './output-forwarder';
export { PubsubEndpointError } from './errors';
