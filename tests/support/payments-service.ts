import { createEventBus } from '../../src-main/platform/event-bus';
import type { Db } from '../../src-main/db/connection';
import { createDojoClient } from '../../src-main/dojo/dojo-client';
import { silentLogger } from '../../src-main/logging/logger';
import {
  createPaymentsService,
  type PaymentsService,
  type PaymentsServiceOptions,
} from '../../src-main/payments/payments.service';

/**
 * The payments core on its own, talking to the Dojo at `baseUrl` (the simulator, or a test server)
 * with no hooks: for tests and benchmarks that need the service without the whole till.
 */
export function paymentsAgainst(
  db: Db,
  baseUrl: string,
  options: Pick<PaymentsServiceOptions, 'polling' | 'outbox' | 'env'> & { timeoutMs?: number } = {},
): PaymentsService {
  const dojo = createDojoClient({
    baseUrl,
    apiKey: 'sk_sandbox_test_payments',
    softwareHouseId: 'softwareHouse1',
    resellerId: 'reseller1',
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    logger: silentLogger,
  });
  return createPaymentsService({
    db,
    logger: silentLogger,
    bus: createEventBus(),
    dojo: () => dojo,
    currency: () => 'GBP',
    onOrderPaid: () => undefined,
    onRefundCompleted: () => undefined,
    ...(options.polling ? { polling: options.polling } : {}),
    ...(options.outbox ? { outbox: options.outbox } : {}),
    env: options.env ?? {},
  });
}
