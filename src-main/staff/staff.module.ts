import type { Db } from '../db/connection';
import type { Logger } from '../logging/logger';
import type { EventBus } from '../platform/event-bus';
import type { FeatureModule } from '../platform/feature-module';
import type { SharedStaff } from './shared-staff';
import { createStaffHandlers } from './staff.ipc';
import { createStaffService } from './staff.service';

/**
 * Staff accounts and who is signed in. Every request is checked against the signed-in person by
 * the permission guard (staff/permission-guard.ts), which the core puts in front of the
 * dispatcher with this module's service. On a till joined to a shop, accounts are the shop's
 * (`shared`); the shop's list changing signs out whoever it no longer lets in (`sharedListChanged`).
 */
export function createStaffModule(deps: {
  db: Db;
  log: Logger;
  bus: EventBus;
  /** Training mode offers a demo manager. */
  training: () => boolean;
  shared: SharedStaff;
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
  } satisfies FeatureModule & Record<string, unknown>;
}
