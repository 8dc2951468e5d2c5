import { z } from 'zod';
import { channel } from './define';
import type { TillMode } from './app.contract';
import { printerTargetProblem } from '../domain/printer-target';

const text = (max: number) => z.string().trim().max(max, `At most ${max} characters`);

/**
 * Printer target: `tcp://host:9100`, `printer:<OS printer name>`, `file:<path>` or `none`. Checked
 * with the same parser the printer uses, so a setting that saves is one the printer can use
 * (a port above 65535 or a malformed host is refused here, in words).
 */
export const printerTargetSchema = z
  .string()
  .trim()
  .max(300)
  .superRefine((v, ctx) => {
    const problem = printerTargetProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/**
 * The Dojo partner ids (`software-house-id`, `reseller-id`) travel as HTTP header values on every
 * terminal call, and Dojo answers 400 to every card payment when one is missing or malformed. They
 * are short codes such as `softwareHouse1` / `reseller1`: required, at most 100 characters of
 * letters, digits and `. _ -` (no spaces or control characters, which a header cannot carry).
 */
export const dojoIdSchema = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `The ${what} is required: card payments fail without it`)
    .max(100, `The ${what} has at most 100 characters`)
    .regex(
      /^[A-Za-z0-9._-]+$/,
      `The ${what} is letters, digits, dots, dashes and underscores only (no spaces), like softwareHouse1`,
    );

export const settingsSchema = z.object({
  shopName: text(60),
  shopAddress: text(200),
  vatNumber: text(30),
  receiptFooter: text(200),
  tillName: text(30),
  currency: z.enum(['GBP', 'EUR']),
  softwareHouseId: dojoIdSchema('software house id'),
  resellerId: dojoIdSchema('reseller id'),
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
  'settings:update': channel<Settings>()(settingsPatchSchema),
  'credentials:status': channel<CredentialsStatus>()(z.undefined()),
  /** Setting the first key needs nothing more; replacing one needs the manager PIN. */
  'credentials:set': channel<CredentialsStatus>()(
    z.object({ apiKey: apiKeySchema, managerPin: managerPinSchema.optional() }).strict(),
  ),
  /** Removes the key (the till becomes a training till); needs the manager PIN. */
  'credentials:clear': channel<CredentialsStatus>()(
    z.object({ managerPin: managerPinSchema }).strict(),
  ),
  'credentials:test': channel<{ ok: boolean; message: string; terminals: number | null }>()(
    z.undefined(),
  ),
  'manager:status': channel<{ pinSet: boolean }>()(z.undefined()),
  'manager:set-pin': channel<{ pinSet: true }>()(
    z.object({ currentPin: z.string().max(8).optional(), newPin: managerPinSchema }).strict(),
  ),
} as const;
