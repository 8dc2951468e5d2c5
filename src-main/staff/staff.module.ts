import type { Db } from '../db/connection';
import type { Logger } from '../logging/logger';
import type { EventBus } from '../platform/event-bus';
import type { Handlers } from '../../src-shared/contract';
import type { FeatureModule } from '../platform/feature-module';
import type { SettingsService } from '../settings/settings.service';
import { basketDiscountBp } from './discount-share';
import { guardPermissions } from './permission-guard';
import type { SharedStaff } from './shared-staff';
import { createStaffHandlers } from './staff.ipc';
import { createStaffService } from './staff.service';

/**
 * Staff accounts and who is signed in. Every request is checked against the signed-in person by
 * the permission guard (staff/permission-guard.ts): `guard` wraps every module's handlers, and
 * the dispatcher sees only the guarded ones. On a till joined to a shop, accounts are the shop's
 * (`shared`); the shop's list changing signs out whoever it no longer lets in (`sharedListChanged`).
 */
export function createStaffModule(deps: {
  db: Db;
  log: Logger;
  bus: EventBus;
  /** Training mode offers a demo manager. */
  training: () => boolean;
  shared: SharedStaff;
  settings: SettingsService;
  /** Who committed an order (going back to the basket voids one's own order without a permission). */
  orderStaff: (orderId: string) => string | null;
}) {
  const staff = createStaffService({
    db: deps.db,
    logger: deps.log,
    training: deps.training,
    onChange: () => deps.bus.emit('staff:changed', staff.session()),
  });
  return {
    name: 'staff',
    service: staff,
    handlers: createStaffHandlers(staff, deps.shared),
    listens: ['staff:shop-list-changed'],
    onShopListChanged: () => staff.sharedListChanged(),
    /** Every channel checks the signed-in person (and an approval) in the core, never only the UI. */
    guard: (handlers: Partial<Handlers>): Partial<Handlers> =>
      guardPermissions(handlers, {
        staff,
        basketDiscountBp: (basket) =>
          basketDiscountBp(deps.db, basket, deps.settings.get().scaleBarcodes),
        orderStaff: deps.orderStaff,
      }),
  } satisfies FeatureModule & Record<string, unknown>;
}
