// Owned by the staff and cash-drawer feature. Channels are named '<domain>:<verb>'.
import { z } from 'zod';
import { channel, event } from './define';
import { idempotencyKeySchema } from '../idempotency';
import {
  approvalSchema,
  newPinSchema,
  pinSchema,
  staffConfigSchema,
  staffNameSchema,
  staffRoles,
  type StaffConfig,
  type StaffMember,
  type StaffSession,
} from '../domain/staff';
import {
  cashRefundSchema,
  openDaySchema,
  payInOutSchema,
  type CashMovement,
  type CashSummary,
  type TillDay,
} from '../domain/cash';

const staffId = z.uuid('That is not a staff id');
const role = z.enum(staffRoles, 'Choose cashier, supervisor or manager');
/** Every channel that needs a permission takes an optional approval (an override PIN). */
const approval = approvalSchema.optional();

export const staffChannels = {
  /** Who is signed in, and what the PIN pad should offer. */
  'staff:session': channel<StaffSession>()(z.undefined()),
  'staff:sign-in': channel<StaffSession>()(z.object({ pin: pinSchema }).strict()),
  'staff:sign-out': channel<StaffSession>()(z.undefined()),
  /** Training mode only: sign in as the clearly labelled demo manager. */
  'staff:demo-sign-in': channel<StaffSession>()(z.undefined()),
  /** A fresh till: the first manager (refused once any manager exists). */
  'staff:first-manager': channel<StaffSession>()(
    z.object({ name: staffNameSchema, pin: newPinSchema }).strict(),
  ),
  'staff:list': channel<StaffMember[]>()(z.object({ approval }).strict().optional()),
  'staff:create': channel<StaffMember>()(
    z.object({ name: staffNameSchema, role, pin: newPinSchema, approval }).strict(),
  ),
  'staff:update': channel<StaffMember>()(
    z
      .object({
        id: staffId,
        name: staffNameSchema.optional(),
        role: role.optional(),
        active: z.boolean().optional(),
        approval,
      })
      .strict(),
  ),
  'staff:reset-pin': channel<StaffMember>()(
    z.object({ id: staffId, pin: newPinSchema, approval }).strict(),
  ),
  'staff:set-config': channel<StaffConfig>()(staffConfigSchema.extend({ approval })),

  /** The open till day, or null. */
  'day:get': channel<TillDay | null>()(z.undefined()),
  /** Opens the till day with a counted float. */
  'day:open': channel<TillDay>()(openDaySchema.extend({ approval })),
  'drawer:pay': channel<CashMovement>()(
    z.object({ movement: payInOutSchema, approval, idempotencyKey: idempotencyKeySchema }).strict(),
  ),
  'drawer:no-sale': channel<CashMovement>()(
    z
      .object({
        reason: z.string().trim().max(200, 'A reason is at most 200 characters').optional(),
        approval,
      })
      .strict(),
  ),
  /** Cash handed back to a customer from the drawer, against a paid order. */
  'refunds:cash': channel<CashMovement>()(
    cashRefundSchema.extend({ approval, idempotencyKey: idempotencyKeySchema }),
  ),
  /** The X report's cash section: what the drawer should hold now. */
  'cash:summary': channel<CashSummary>()(z.object({ approval }).strict().optional()),
} as const;

export const staffEvents = {
  /** Someone signed in or out, or the staff list changed. */
  'staff:changed': event<StaffSession>(),
} as const;
