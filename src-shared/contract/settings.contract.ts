import { z } from 'zod';
import { channel } from './define';
import { scaleBarcodeRulesSchema } from '../domain/scale-barcodes';
import type { TillMode } from './app.contract';
import { printableText } from '../domain/printable-text';
import { updateModes } from './updates.contract';
import { printerTargetProblem } from '../domain/printer-target';
import { approvalSchema } from '../domain/staff';
import { cashRoundings } from '../domain/cash-rounding';

const approval = approvalSchema.optional();

const plain = (max: number) => z.string().trim().max(max, `At most ${max} characters`);
/** Free text that may end up on a receipt: refused at input when the printer cannot print it. */
const text = (max: number, label: string, opts: { multiline?: boolean } = {}) =>
  printableText(plain(max), label, opts);

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
  shopName: text(60, 'Shop name'),
  shopAddress: text(200, 'Shop address', { multiline: true }),
  vatNumber: text(30, 'VAT number'),
  receiptFooter: text(200, 'Receipt footer'),
  tillName: text(30, 'Till name'),
  currency: z.enum(['GBP', 'EUR']),
  softwareHouseId: dojoIdSchema('software house id'),
  resellerId: dojoIdSchema('reseller id'),
  defaultTerminalId: printableText(z.string().max(100), 'Terminal id').nullable(),
  printer: printerTargetSchema,
  printerType: z.enum(['epson', 'star']),
  paperWidth: z.union([z.literal(58), z.literal(80)]),
  /** Changed only through `updates:set-mode` (manager PIN), never by `settings:update`. */
  updateMode: z.enum(updateModes),
  updatePinnedVersion: z.string().max(40).nullable(),
  /** Scale labels: which 2x prefixes carry a weight and which a price (docs/CATALOGUE.md). */
  scaleBarcodes: scaleBarcodeRulesSchema,
  /** How many database backups to keep in the data folder (the oldest go first). */
  backupKeep: z
    .number({ error: 'The number of backups to keep must be a whole number' })
    .int('The number of backups to keep must be a whole number')
    .min(1, 'Keep at least 1 backup')
    .max(365, 'Keep at most 365 backups'),
  /** What a customer gets after paying until someone chooses (docs/PAYMENTS.md "Receipt choice"). */
  receiptDefault: z.enum(['print', 'email', 'none'], 'Choose Print, Email or No receipt'),
  /** Offer a tip (percent buttons or an amount) before a card payment. */
  tipOffer: z.boolean({ error: 'Tip offer is on or off' }),
  /** Cash totals rounded to the nearest 0.05 (euro tills only; docs/staff-and-cash.md). */
  cashRounding: z.enum(cashRoundings, 'Cash rounding is None or To the nearest 0.05'),
});

/** Settings a plain `settings:update` may not change: they have their own guarded channel. */
export const managerOnlySettings = ['updateMode', 'updatePinnedVersion'] as const;

export type Settings = z.infer<typeof settingsSchema>;

/**
 * Settings as stored: the same shape without the printable-text check (the Dojo ids keep their
 * shape rule: a stored id that breaks it falls back to its default), so a value saved before
 * that check existed (a shop name with an emoji) is still read — and printed with a marker —
 * instead of the whole stored set falling back to defaults.
 */
export const storedSettingsSchema = settingsSchema.extend({
  shopName: plain(60),
  shopAddress: plain(200),
  vatNumber: plain(30),
  receiptFooter: plain(200),
  tillName: plain(30),
  defaultTerminalId: z.string().max(100).nullable(),
});

export const settingsPatchSchema = settingsSchema.partial().strict();

export type CredentialsStatus = {
  configured: boolean;
  environment: TillMode;
};

/**
 * What is wrong with a typed Dojo secret key (`sk_sandbox_…` / `sk_prod_…`), in plain words, or
 * null. It names positions, never the key's characters: the key is a secret.
 */
export function apiKeyProblem(input: string): string | null {
  const key = input.trim();
  const prefix = /^sk_(sandbox|prod)_/.exec(key)?.[0];
  if (!prefix) return 'That is not a Dojo secret key: it starts with sk_sandbox_ or sk_prod_';
  const space = key.search(/\s/);
  if (space >= 0)
    return `The key has a space or line break in it (character ${space + 1}): copy it again from the Dojo dashboard, in one piece`;
  const odd = key.search(/[^A-Za-z0-9_-]/);
  if (odd >= 0)
    return `The key has a character a Dojo key never has (character ${odd + 1}): copy it again from the Dojo dashboard`;
  const rest = key.length - prefix.length;
  if (rest < 8) return `The key is too short: after ${prefix} a Dojo key has at least 8 characters`;
  if (rest > 200) return 'The key is too long: check that only the key was pasted';
  return null;
}

/** Dojo secret keys are `sk_sandbox_…` or `sk_prod_…`. */
export const apiKeySchema = z
  .string()
  .trim()
  .superRefine((v, ctx) => {
    const problem = apiKeyProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const managerPinSchema = z.string().regex(/^\d{4,8}$/, 'A manager PIN is 4 to 8 digits');

export const settingsChannels = {
  'settings:get': channel<Settings>()(z.undefined()),
  'settings:update': channel<Settings>()(settingsPatchSchema.extend({ approval })),
  'credentials:status': channel<CredentialsStatus>()(z.undefined()),
  /** Setting the first key needs nothing more; replacing one needs the manager PIN. */
  'credentials:set': channel<CredentialsStatus>()(
    z.object({ apiKey: apiKeySchema, managerPin: managerPinSchema.optional(), approval }).strict(),
  ),
  /** Removes the key (the till becomes a training till); needs the manager PIN. */
  'credentials:clear': channel<CredentialsStatus>()(
    z.object({ managerPin: managerPinSchema, approval }).strict(),
  ),
  'credentials:test': channel<{ ok: boolean; message: string; terminals: number | null }>()(
    z.undefined(),
  ),
  'manager:status': channel<{ pinSet: boolean }>()(z.undefined()),
  'manager:set-pin': channel<{ pinSet: true }>()(
    z.object({ currentPin: z.string().max(8).optional(), newPin: managerPinSchema }).strict(),
  ),
} as const;
