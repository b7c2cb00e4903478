/**
 * circus-plugin (spec/daemon.md 6.14): runs one plugin as its own process
 * against a running circusd, through the control and pub/sub endpoints.
 * The plugin is the same class circusd runs in process; `use` is resolved
 * the same way (built-in name or Circus class path, then a module path
 * relative to the working directory, an npm package, a dotted name).
 */
import 'reflect-metadata';
import { container as rootContainer } from 'tsyringe';
import {
  errorMessage,
  instantiatePlugin,
  Logger,
  PLUGIN_TIMEOUT_SECONDS,
  PluginContext,
  PluginOptions,
  preparePlugin,
  withTimeout,
  type CircusPlugin,
  type PluginDescriptor,
} from '../../kernel/index';
import { resolvePlugin } from '../../plugins/support/plugin-loader';
import { RemotePluginContext } from '../../plugins/support/remote-context';
import { packageVersion } from '../circusd/version';
import { resolveClientCurve } from '../shared/client-curve';
import { configureLogging } from '../logging/configure';
import { ArgsError, HELP, parseCircusPluginArgs, parsePluginConfig, USAGE } from './args';

/** Where circus-plugin writes what does not go through the logger, and how it learns to stop. */
export interface CircusPluginIO {
  out(text: string): void;
  err(text: string): void;
  /** Resolves when the process is asked to stop (SIGINT/SIGTERM). */
  readonly stopRequested: Promise<void>;
  /** The directory `use` paths are relative to (default the working directory). */
  readonly cwd?: string;
  /** Where $CIRCUS_CLIENT_KEY / $CIRCUS_SERVER_KEY are read; default process.env. */
  readonly env?: NodeJS.ProcessEnv;
}

/** The plugin section name circus-plugin runs under: `name` from --config (Circus passes `plugin:NAME`), else `plugin:<descriptor name>`. */
function sectionName(config: Record<string, string>, descriptor: PluginDescriptor): string {
  const given = config.name?.trim();
  if (!given) return `plugin:${descriptor.name}`;
  return given.startsWith('plugin:') ? given : `plugin:${given}`;
}

/** Runs circus-plugin; resolves with the exit status. */
export async function runCircusPlugin(argv: readonly string[], io: CircusPluginIO): Promise<number> {
  let args;
  try {
    args = parseCircusPluginArgs(argv);
  } catch (err) {
    if (!(err instanceof ArgsError)) throw err;
    io.err(`${USAGE}circus-plugin: error: ${err.message}\n`);
    return 2;
  }
  if (args.help) {
    io.out(HELP);
    return 0;
  }
  if (args.version) {
    io.out(`${packageVersion()}\n`);
    return 0;
  }
  if (args.plugin === null) {
    io.out(USAGE);
    return 0;
  }
  const logs = await configureLogging({ level: args.logLevel, output: args.logOutput });
  const logger = logs.getLogger('circus');
  try {
    return await runPlugin(args.plugin, args, io, logger);
  } finally {
    await logs.close();
  }
}

async function runPlugin(
  use: string,
  args: ReturnType<typeof parseCircusPluginArgs>,
  io: CircusPluginIO,
  logger: Logger,
): Promise<number> {
  const fail = (message: string): number => {
    logger.error(message);
    io.err(`circus-plugin: ${message}\n`);
    return 1;
  };
  if (args.ssh !== null) return fail('--ssh is not supported by circus-plugin; run it on the daemon host or tunnel the two endpoints');
  logger.info('Loading the plugin...');
  let descriptor: PluginDescriptor;
  try {
    descriptor = resolvePlugin(use, io.cwd ?? process.cwd());
  } catch (err) {
    return fail(`cannot load plugin '${use}': ${errorMessage(err)}`);
  }
  const config = parsePluginConfig(args.config);
  const name = sectionName(config, descriptor);
  const { prepared, problems } = preparePlugin({ ...config, name, __name__: name, use }, descriptor);
  if (problems.length > 0) return fail(`invalid plugin configuration:\n  ${problems.join('\n  ')}`);
  if (!prepared.active && descriptor.honoursActive !== false) return fail(`${name}: Will not start an inactive plugin`);
  let curve;
  try {
    curve = resolveClientCurve(args, io.env ?? process.env);
  } catch (err) {
    return fail(errorMessage(err));
  }
  logger.info(`Endpoint: '${args.endpoint}'`);
  logger.info(`Pub/sub: '${args.pubsub}'`);
  const pluginLogger = logger.child(name);
  const ctx = new RemotePluginContext({ name, endpoint: args.endpoint, pubsub: args.pubsub, checkDelay: args.checkDelay, logger: pluginLogger, curve });
  const child = rootContainer.createChildContainer();
  child.register(PluginContext, { useValue: ctx });
  child.register(PluginOptions, { useValue: prepared.options });
  child.register(Logger, { useValue: pluginLogger });
  let plugin: CircusPlugin;
  try {
    ctx.connect();
    plugin = instantiatePlugin(child, descriptor, ctx, prepared.options);
    logger.info('Starting');
    await withTimeout(`${name} start`, PLUGIN_TIMEOUT_SECONDS, Promise.resolve().then(() => plugin.start()));
  } catch (err) {
    ctx.dispose();
    return fail(`${name} failed to start: ${errorMessage(err)}`);
  }
  await io.stopRequested;
  logger.info('Stopping');
  let code = 0;
  try {
    await withTimeout(`${name} stop`, PLUGIN_TIMEOUT_SECONDS, Promise.resolve().then(() => plugin.stop()));
  } catch (err) {
    logger.error(`${name} failed to stop: ${errorMessage(err)}`);
    code = 1;
  } finally {
    ctx.dispose();
  }
  return code;
}
