import type { ChannelName, Handlers, ParsedInputOf } from '../../src-shared/contract';
import type { Approval, Permission } from '../../src-shared/domain/staff';
import { runAs } from './actor';
import type { StaffService } from './staff.service';

/** Channels anyone may call with nobody signed in: the PIN pad and what the screen needs to show. */
const OPEN: readonly ChannelName[] = [
  'app:info',
  'app:ping',
  'status:get',
  'staff:session',
  'staff:sign-in',
  'staff:sign-out',
  'staff:demo-sign-in',
  'staff:first-manager',
  'settings:get',
  'credentials:status',
  'manager:status',
  'printing:status',
  'day:get',
  'updates:status',
];

type Rule = Permission | ((input: Record<string, unknown>) => Permission | null);

export type GuardOptions = {
  staff: StaffService;
  /** The largest discount in a basket as a share of what it applies to (basis points). */
  basketDiscountBp: (basket: ParsedInputOf<'orders:create'>) => number;
  /** Who committed the order (null when nobody was signed in). */
  orderStaff: (orderId: string) => string | null;
};

/**
 * The one table from channel to permission (docs/staff-and-cash.md). Channels not listed here and
 * not OPEN need only someone signed in: selling is everybody's job.
 */
function rules(opts: GuardOptions): Partial<Record<ChannelName, Rule>> {
  return {
    'refunds:matched': 'refund.matched',
    'refunds:server': 'refund.server',
    'refunds:unlinked': 'refund.unlinked',
    'refunds:cash': 'refund.cash',
    'returns:create': 'return.items',
    // Cash out of the drawer for a return's card part that did not go through.
    'returns:settle-owed': 'refund.cash',
    'payments:reverse': 'payment.reverse',
    'payments:record-manually': 'payment.record-manually',
    'tenders:card-other': 'tender.card-other',
    'tenders:to-match': 'report.x',
    'tenders:match-now': 'report.x',
    // Going back to the basket voids the unpaid order the cashier just committed: their own order
    // needs no permission; anyone else's is a void.
    'orders:void': (input) =>
      opts.orderStaff(String(input.orderId)) === opts.staff.current()?.id ? null : 'order.void',
    'orders:create': (input) =>
      opts.basketDiscountBp(input as ParsedInputOf<'orders:create'>) >
      opts.staff.config().discountLimitBp
        ? 'discount.above-limit'
        : null,
    // A cash sale in one step commits the basket too: the same discount limit.
    'orders:sell-cash': (input) =>
      opts.basketDiscountBp(input as ParsedInputOf<'orders:create'>) >
      opts.staff.config().discountLimitBp
        ? 'discount.above-limit'
        : null,
    // A basket parked (or put aside for card) is priced then: the same discount limit.
    'orders:park': (input) =>
      'basket' in input &&
      opts.basketDiscountBp(input.basket as ParsedInputOf<'orders:create'>) >
        opts.staff.config().discountLimitBp
        ? 'discount.above-limit'
        : null,
    // Starting the next sale is selling: anyone signed in.
    'payments:new-sale': () => null,
    'drawer:no-sale': 'drawer.no-sale',
    'drawer:pay': 'drawer.pay-in-out',
    'day:open': 'day.open',
    'reports:close-day': 'day.close',
    'reports:end-of-day': 'report.x',
    'cash:summary': 'report.x',
    'reports:dojo-checks': 'report.x',
    'reports:run-dojo-check': 'report.x',
    'settings:update': (input) => ('printer' in input ? 'settings.printer' : 'settings.edit'),
    'credentials:set': 'settings.dojo-key',
    'credentials:clear': 'settings.dojo-key',
    'credentials:test': 'settings.edit',
    'printing:test': 'settings.printer',
    'catalogue:upsert': 'catalogue.edit',
    'catalogue:delete': 'catalogue.edit',
    'catalogue:import-csv': 'catalogue.edit',
    'catalogue:set-vat-rates': 'catalogue.edit',
    'catalogue:upsert-modifier-group': 'catalogue.edit',
    'catalogue:export-csv': 'catalogue.edit',
    // Reading the catalogue and scanning are part of selling: anyone signed in.
    'catalogue:scan': () => null,
    'catalogue:vat-rates': () => null,
    'catalogue:modifier-groups': () => null,
    'staff:list': 'staff.manage',
    'staff:create': 'staff.manage',
    'staff:update': 'staff.manage',
    'staff:reset-pin': 'staff.manage',
    'staff:set-config': 'staff.manage',
    'reports:print-x': 'report.x',
    'backups:list': 'settings.edit',
    'backups:create': 'settings.edit',
    'queue:retry': 'settings.edit',
    'queue:discard': 'settings.edit',
    'updates:set-mode': 'settings.edit',
    'shop:connect': 'settings.edit',
    'shop:disconnect': 'settings.edit',
  };
}

export const permissionFor = (
  opts: GuardOptions,
  channel: ChannelName,
  input: unknown,
): Permission | null => {
  const rule = rules(opts)[channel];
  if (!rule) return null;
  return typeof rule === 'string' ? rule : rule((input ?? {}) as Record<string, unknown>);
};

/**
 * Wraps every handler: the signed-in person (or an approval) is checked in the core before the
 * handler runs, the `approval` field is taken off the input, and the handler runs on behalf of the
 * person so that what it writes carries their staff id (and the approver's).
 */
export function guardPermissions(
  handlers: Partial<Handlers>,
  opts: GuardOptions,
): Partial<Handlers> {
  const guarded: Record<string, unknown> = {};
  for (const [name, handler] of Object.entries(handlers) as [
    ChannelName,
    (i: unknown) => unknown,
  ][]) {
    if (OPEN.includes(name)) {
      guarded[name] = handler;
      continue;
    }
    guarded[name] = async (input: unknown) => {
      const { approval, rest } = splitApproval(input);
      const permission = permissionFor(opts, name, rest);
      const actor = opts.staff.authorize(permission, approval);
      const value: unknown = await runAs(actor, () => handler(rest));
      if (permission && actor.approvedBy) opts.staff.journalOverride(actor, permission, name);
      return value;
    };
  }
  return guarded;
}

function splitApproval(input: unknown): { approval: Approval | undefined; rest: unknown } {
  if (!input || typeof input !== 'object' || Array.isArray(input) || !('approval' in input))
    return { approval: undefined, rest: input };
  const { approval, ...rest } = input as { approval?: Approval };
  // A channel whose whole input was `{approval}` gets what it had before approvals: nothing.
  return { approval, rest: Object.keys(rest).length === 0 ? undefined : rest };
}
