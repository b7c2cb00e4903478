/**
 * The core plugin `audit` (issue 9): writes every `audit.zap` decision of
 * the ZAP handler and every `audit.command` of the control endpoint to
 * circusd's log at INFO under the logger name `circus.audit`, and with `[circus]
 * audit_log` one JSON object per line to that file (appended, 0600). It
 * starts before the zap and control plugins and stops after them, so no
 * event of theirs is missed.
 */
import 'reflect-metadata';
import * as path from 'node:path';
import { inject, injectable } from 'tsyringe';
import { CircusConfig, ConfigPath, CorePlugin, type Disposable, errorMessage, EventBus, Logger } from '../../kernel/index';
import { AuditFile } from './audit-file';
import { commandLine, zapLine } from './audit-format';

/** The `audit` core plugin (see the file comment). */
@injectable()
export class AuditPlugin implements CorePlugin {
  private file: AuditFile | null = null;
  private subscriptions: Disposable[] = [];
  /** Write failures since the last success: logged once per run of failures, not per event. */
  private failing = false;

  constructor(
    @inject(CircusConfig) private readonly config: CircusConfig,
    @inject(ConfigPath) private readonly configPath: string | null,
    @inject(EventBus) private readonly bus: EventBus,
    @inject(Logger) private readonly logger: Logger,
  ) {}

  /** Opens the audit file (AuditLogError naming it when it cannot be) and subscribes. */
  async start(): Promise<void> {
    const raw = this.config.audit_log;
    if (raw !== null) {
      const base = this.configPath ? path.dirname(path.resolve(this.configPath)) : process.cwd();
      this.file = AuditFile.open(path.resolve(base, raw));
      this.logger.debug(`audit log: ${this.file.path}`);
    }
    // The logger is the plugin's own, named after its registration (`circus.audit` in circusd).
    this.subscriptions = [
      this.bus.on('audit.zap', (event) => this.record({ type: 'zap', ...event.payload }, () => zapLine(event.payload))),
      this.bus.on('audit.command', (event) => this.record({ type: 'command', ...event.payload }, () => commandLine(event.payload))),
    ];
  }

  /** Unsubscribes and closes the file. */
  async stop(): Promise<void> {
    for (const s of this.subscriptions) s.dispose();
    this.subscriptions = [];
    const file = this.file;
    this.file = null;
    try {
      file?.close();
    } catch (err) {
      this.logger.warning(`could not close the audit log ${file?.path}: ${errorMessage(err)}`);
    }
  }

  private record(record: object, line: () => string): void {
    try {
      this.logger.info(line());
    } catch (err) {
      // Never silent: an event that cannot be written is itself worth a line.
      this.logger.error(`an audit event could not be logged: ${errorMessage(err)}`);
    }
    if (this.file === null) return;
    try {
      this.file.append(record);
      this.failing = false;
    } catch (err) {
      if (!this.failing) this.logger.error(`could not write to the audit log ${this.file.path}: ${errorMessage(err)}`);
      this.failing = true;
    }
  }
}
