import type { CredentialsService } from '../credentials/credentials.service';
import type { Db } from '../db/connection';
import type { DojoModule } from '../dojo/dojo.module';
import type { Logger } from '../logging/logger';
import type { OrdersPort } from '../orders/orders-port';
import { errorText } from '../platform/error-text';
import type { CoreEventBus, EventBus } from '../platform/event-bus';
import type { FeatureModule } from '../platform/feature-module';
import type { Outbox } from '../queue/outbox';
import type { SettingsService } from '../settings/settings.service';
import type { PollingOptions } from './payment-poller';
import { createPaymentsHandlers } from './payments.ipc';
import { createPaymentsService } from './payments.service';
import { liveWork } from './live-work';

/**
 * Card payments and refunds through Dojo (docs/PAYMENTS.md). Reads orders and applies card tenders
 * through the orders port; emits "refund completed". New terminal work is refused while Dojo cannot
 * be reached (terminal-guard.ts). Recovery runs in the background at start.
 */
export function createPaymentsModule(deps: {
  db: Db;
  log: Logger;
  bus: EventBus;
  events: CoreEventBus;
  settings: SettingsService;
  credentials: CredentialsService;
  dojo: DojoModule;
  orders: OrdersPort;
  outbox: Outbox;
  env: NodeJS.ProcessEnv;
  /** Card payment polling (default: the payments service's own). */
  polling?: Partial<PollingOptions>;
  /** The till status changed (recovery finished). */
  emitStatus: () => void;
}) {
  const { settings, dojo, log } = deps;
  const payments = createPaymentsService({
    db: deps.db,
    logger: log,
    bus: deps.bus,
    dojo: dojo.client,
    currency: () => settings.get().currency,
    defaultTerminal: {
      get: () => settings.get().defaultTerminalId,
      set: (terminalId) => void settings.update({ defaultTerminalId: terminalId }),
    },
    orders: deps.orders,
    onRefundCompleted: (refundId) => deps.events.emit('refund:completed', { refundId }),
    outbox: deps.outbox,
    online: () => dojo.link.state !== 'offline',
    env: deps.env,
    ...(deps.polling ? { polling: deps.polling } : {}),
  });

  // The terminal list every screen shows follows the Dojo setup: after a key or a partner id
  // changes, or a connection test, it is read again and pushed (terminals:status), so a fixed
  // setting never leaves "No terminals found" on screen until a reload.
  const refreshTerminals = () =>
    void payments
      .listTerminals()
      .catch((error: unknown) =>
        log.warn('terminal list after a Dojo setting change failed', { error: errorText(error) }),
      );
  const partnerIds = () => `${settings.get().softwareHouseId}\u0000${settings.get().resellerId}`;
  let dojoIds = partnerIds();
  settings.onChange(() => {
    const ids = partnerIds();
    if (ids !== dojoIds) refreshTerminals();
    dojoIds = ids;
  });
  deps.credentials.onChange(refreshTerminals);

  let recovery: Promise<void> = Promise.resolve();
  return {
    name: 'payments',
    service: payments,
    handlers: createPaymentsHandlers(payments, () => dojo.link),
    emits: ['refund:completed'],
    /** A connection test that succeeds reads the terminal list again. */
    async testConnection() {
      const result = await dojo.gateway.testConnection();
      if (result.ok) refreshTerminals();
      return result;
    },
    // Recovery (docs/PAYMENTS.md rule 8) runs in the background: card sales are refused until it
    // has finished, but a slow or unreachable Dojo must not keep the till (and cash sales) from
    // opening.
    start() {
      recovery = payments
        .start()
        .then(() => deps.emitStatus())
        .catch((error: unknown) => log.error('payment recovery failed', { error: String(error) }));
    },
    async stop() {
      await recovery;
      await payments.stop();
    },
    status: () => ({ needsAttention: payments.needsAttention() }),
    inProgress: () => liveWork(deps.db),
  } satisfies FeatureModule<'livePayments' | 'liveRefunds'> & Record<string, unknown>;
}
