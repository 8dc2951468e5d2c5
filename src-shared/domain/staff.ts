import { z } from 'zod';

/** Who may do what on the till (docs/staff-and-cash.md). */
export const staffRoles = ['cashier', 'supervisor', 'manager'] as const;
export type StaffRole = (typeof staffRoles)[number];

export const permissions = [
  'refund.matched',
  'refund.server',
  'refund.unlinked',
  'refund.cash',
  'return.items',
  'payment.reverse',
  'payment.record-manually',
  'tender.card-other',
  'discount.above-limit',
  'order.void',
  'drawer.no-sale',
  'drawer.pay-in-out',
  'day.open',
  'day.close',
  'report.x',
  'settings.edit',
  'settings.printer',
  'settings.dojo-key',
  'catalogue.edit',
  'staff.manage',
] as const;
export type Permission = (typeof permissions)[number];

/** The one table of who may do what. Anyone signed in may sell (cash and card). */
export const rolePermissions: Record<StaffRole, readonly Permission[]> = {
  cashier: [],
  supervisor: [
    'refund.matched',
    'refund.server',
    'refund.unlinked',
    'refund.cash',
    'return.items',
    'payment.reverse',
    'payment.record-manually',
    'tender.card-other',
    'discount.above-limit',
    'order.void',
    'drawer.no-sale',
    'drawer.pay-in-out',
    'day.open',
    'report.x',
  ],
  manager: [...permissions],
};

export const roleMay = (role: StaffRole, permission: Permission): boolean =>
  rolePermissions[role].includes(permission);

/** What a person reads when a permission is refused or needs approval. */
export const permissionLabels: Record<Permission, string> = {
  'refund.matched': 'refund a card payment',
  'refund.server': 'refund a card payment',
  'refund.unlinked': 'refund without a sale',
  'refund.cash': 'refund cash from the drawer',
  'return.items': 'take items back (returns and exchanges)',
  'payment.reverse': 'reverse a card payment',
  'payment.record-manually': 'record a payment by hand',
  'tender.card-other': 'take a card on another terminal',
  'discount.above-limit': 'give a discount above the limit',
  'order.void': 'void an order',
  'drawer.no-sale': 'open the drawer (no sale)',
  'drawer.pay-in-out': 'pay cash in or out',
  'day.open': 'open the till day',
  'day.close': 'close the till day',
  'report.x': 'see the X report',
  'settings.edit': 'change settings',
  'settings.printer': 'change the printer',
  'settings.dojo-key': 'change the Dojo key',
  'catalogue.edit': 'change the catalogue',
  'staff.manage': 'manage staff',
};

export const roleLabels: Record<StaffRole, string> = {
  cashier: 'Cashier',
  supervisor: 'Supervisor',
  manager: 'Manager',
};

/**
 * A PIN a person could guess: one digit repeated (0000), a run up or down (1234, 9876), or a
 * repeated pair (1212).
 */
export function isTrivialPin(pin: string): boolean {
  if (/^(\d)\1+$/.test(pin)) return true;
  const d = [...pin].map(Number);
  const step = (by: number) => d.every((v, i) => i === 0 || v === ((d[i - 1] ?? 0) + by + 10) % 10);
  if (step(1) || step(-1)) return true;
  if (pin.length % 2 === 0 && pin === pin.slice(0, 2).repeat(pin.length / 2)) return true;
  return false;
}

/** Any PIN typed to sign in or approve: digits only, nothing else is checked here. */
export const pinSchema = z
  .string({ error: 'A PIN is 4 to 8 digits' })
  .regex(/^\d{4,8}$/, 'A PIN is 4 to 8 digits (numbers only)');

/** A new PIN: 4–8 digits that are not easy to guess. */
export const newPinSchema = pinSchema.refine(
  (p) => !isTrivialPin(p),
  'That PIN is too easy to guess (like 0000, 1234 or 1212): choose another',
);

export const staffNameSchema = z
  .string({ error: 'Write a name' })
  .trim()
  .min(1, 'Write a name')
  .max(40, 'A name is at most 40 characters');

/** A supervisor's or manager's PIN approving one action for the person signed in (an override). */
export const approvalSchema = z.object({ pin: pinSchema }).strict();
export type Approval = z.infer<typeof approvalSchema>;

export type StaffMember = {
  id: string;
  name: string;
  role: StaffRole;
  active: boolean;
  /** The training-mode demo manager: never counted as a real manager. */
  demo: boolean;
  createdAt: string;
};

export type StaffSession = {
  /** Who is signed in, or null. */
  staff: StaffMember | null;
  permissions: Permission[];
  /** No real manager exists yet: the till asks for the first one. */
  needsFirstManager: boolean;
  /** Training mode offers a demo manager. */
  demoAvailable: boolean;
  /** Minutes without input before the PIN pad comes back (0 = never). */
  idleMinutes: number;
  /** Discounts above this percentage (basis points) need `discount.above-limit`. */
  discountLimitBp: number;
  /** Set while PIN sign-in is locked out. */
  lockedUntil: string | null;
};

export const staffConfigSchema = z
  .object({
    idleMinutes: z
      .number({ error: 'Idle time is a number of minutes' })
      .int('Idle time is a whole number of minutes')
      .min(0, 'Idle time cannot be negative')
      .max(240, 'Idle time is at most 240 minutes'),
    discountLimitBp: z
      .number({ error: 'The discount limit is a percentage' })
      .int('The discount limit is in basis points (1000 = 10 %)')
      .min(0, 'The discount limit cannot be negative')
      .max(10_000, 'The discount limit is at most 100 %'),
  })
  .strict();
export type StaffConfig = z.infer<typeof staffConfigSchema>;
