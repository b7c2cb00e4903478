/**
 * The core plugin `zap`: with `[circus] curve_secret_key` set, it reads the
 * server's key pair and the authorized client keys, and runs the ZAP
 * handler that lets only those keys through the CURVE handshake of the
 * control, pubsub and stats endpoints. It is registered before them, so no
 * endpoint accepts a client before the handler answers (and their
 * `zapEnforceDomain` refuses every client if it ever stops). Each decision
 * is emitted as an `audit.zap` bus event. With CURVE off it does nothing.
 */
import 'reflect-metadata';
import { inject, injectable } from 'tsyringe';
import { CircusConfig, ConfigPath, CorePlugin, errorMessage, EventBus, Logger } from '../../kernel/index';
import { type CurveServerKeys, loadCurveServer } from '../../protocol/curve-server';
import { ZapError } from './errors';
import { decideZap, type ZapDecision, ZapHandler } from './zap-handler';

/** The `audit.zap` event: one ZAP decision. */
export interface ZapAuditEvent extends ZapDecision {
  /** Unix epoch seconds. */
  readonly time: number;
}

declare module '../../kernel/events' {
  interface CircusEvents {
    /** A client's CURVE key was let in or refused (emitted with watcher `circusd`). */
    'audit.zap': ZapAuditEvent;
  }
}

/**
 * Reads the CURVE options; a bad key file becomes a ZapError naming the
 * `[circus]` key and the file, so circusd fails to start with it.
 */
export function loadServerKeys(config: CircusConfig, configPath: string | null): CurveServerKeys | null {
  try {
    return loadCurveServer(config, configPath);
  } catch (err) {
    throw new ZapError(errorMessage(err), { cause: err });
  }
}

/** The `zap` core plugin (see the file comment); does nothing with CURVE off. */
@injectable()
export class ZapPlugin implements CorePlugin {
  private handler: ZapHandler | null = null;

  constructor(
    @inject(CircusConfig) private readonly config: CircusConfig,
    @inject(ConfigPath) private readonly configPath: string | null,
    @inject(EventBus) private readonly bus: EventBus,
    @inject(Logger) private readonly logger: Logger,
  ) {}

  /** Reads the keys and binds the handler; rejects with ZapError naming the key file at fault. */
  async start(): Promise<void> {
    const curve = loadServerKeys(this.config, this.configPath);
    if (curve === null) return;
    this.handler = await ZapHandler.bind(
      (frames) => decideZap(frames, curve.authorized),
      (decision) => this.bus.emit('audit.zap', 'circusd', { time: Date.now() / 1000, ...decision }),
      this.logger,
    );
    this.logger.debug(`ZAP handler serving ${curve.authorized.size} authorized CURVE key(s)`);
  }

  /** Closes the handler: from then on libzmq refuses every CURVE client (zapEnforceDomain). */
  async stop(): Promise<void> {
    const handler = this.handler;
    this.handler = null;
    await handler?.close();
  }
}
