import { z } from 'zod';
import { channel } from './define';
import type { TillMode } from './app.contract';
import { approvalSchema } from '../domain/staff';

const approval = approvalSchema.optional();

const text = (max: number) => z.string().trim().max(max, `At most ${max} characters`);

/** Printer target: `tcp://host:9100`, `printer:<OS printer name>`, `file:<path>` or `none`. */
export const printerTargetSchema = z
  .string()
  .trim()
  .max(300)
  .refine(
    (v) =>
      v === 'none' ||
      /^tcp:\/\/[^\s:/]+(:\d{1,5})?$/.test(v) ||
      /^printer:.+$/.test(v) ||
      /^file:.+$/.test(v),
    'Printer must be tcp://host:9100, printer:<name>, file:<path> or none',
  );

export const settingsSchema = z.object({
  shopName: text(60),
  shopAddress: text(200),
  vatNumber: text(30),
  receiptFooter: text(200),
  tillName: text(30),
  currency: z.enum(['GBP', 'EUR']),
  softwareHouseId: text(100),
  resellerId: text(100),
  defaultTerminalId: z.string().max(100).nullable(),
  printer: printerTargetSchema,
  printerType: z.enum(['epson', 'star']),
  paperWidth: z.union([z.literal(58), z.literal(80)]),
});

export type Settings = z.infer<typeof settingsSchema>;

export const settingsPatchSchema = settingsSchema.partial().strict();

export type CredentialsStatus = {
  configured: boolean;
  environment: TillMode;
};

/** Dojo secret keys are `sk_sandbox_…` or `sk_prod_…`. */
export const apiKeySchema = z
  .string()
  .trim()
  .regex(
    /^sk_(sandbox|prod)_[A-Za-z0-9_-]{8,200}$/,
    'That is not a Dojo secret key: it starts with sk_sandbox_ or sk_prod_',
  );

export const managerPinSchema = z.string().regex(/^\d{4,8}$/, 'A manager PIN is 4 to 8 digits');

export const settingsChannels = {
  'settings:get': channel<Settings>()(z.undefined()),
  'settings:update': channel<Settings>()(settingsPatchSchema.extend({ approval })),
  'credentials:status': channel<CredentialsStatus>()(z.undefined()),
  'credentials:set': channel<CredentialsStatus>()(
    z.object({ apiKey: apiKeySchema, approval }).strict(),
  ),
  'credentials:clear': channel<CredentialsStatus>()(z.object({ approval }).strict().optional()),
  'credentials:test': channel<{ ok: boolean; message: string; terminals: number | null }>()(
    z.undefined(),
  ),
  'manager:status': channel<{ pinSet: boolean }>()(z.undefined()),
  'manager:set-pin': channel<{ pinSet: true }>()(
    z.object({ currentPin: z.string().max(8).optional(), newPin: managerPinSchema }).strict(),
  ),
} as const;
