// Owned by the reports feature: the day's figures (X report), the day closure (Z report) and the
// three-way Dojo checks of closed days. Channels are named '<domain>:<verb>'. The closure is
// served by the cash drawer's close (src-main/cash/cash.ipc.ts), which records it through the
// reports service; the paper forms (EndOfDayReport, DayClosure) are printing's.
import { z } from 'zod';
import { channel } from './define';
import { printableText } from '../domain/printable-text';
import { approvalSchema } from '../domain/staff';
import { cashCountSchema } from '../domain/cash';
import type { DojoCheck } from '../domain/dojo-check';
import type { DayClosure, EndOfDayReport, PrintJob } from './printing.contract';

/** Every channel that needs a permission takes an optional approval (an override PIN). */
const approval = approvalSchema.optional();

export const reportsChannels = {
  'reports:end-of-day': channel<EndOfDayReport>()(
    z.object({ approval: approvalSchema.optional() }).strict().optional(),
  ),
  /** Prints the X report (the open day so far) on the receipt printer; nothing is reset. */
  'reports:print-x': channel<PrintJob>()(z.undefined()),
  /** Closes the till day: only with an explicit confirmation from the operator. */
  'reports:close-day': channel<DayClosure>()(
    z
      .object({
        confirm: z.literal(true, { error: 'Confirm closing the day' }),
        closedBy: printableText(z.string().trim().min(1).max(60), 'The name').optional(),
        /** The drawer counted by denomination; required when the day was opened with a float. */
        count: cashCountSchema.optional(),
        approval: approvalSchema.optional(),
      })
      .strict(),
  ),
  /** Three-way checks of closed days against Dojo's record, newest first. */
  'reports:dojo-checks': channel<DojoCheck[]>()(z.object({ approval }).strict().optional()),
  /** Runs a pending check now (Dojo back); returns it, completed or still pending. */
  'reports:run-dojo-check': channel<DojoCheck>()(
    z
      .object({
        closureId: z.uuid('That is not a closure id'),
        /** Print the check's result too. */
        print: z.boolean().optional(),
        approval,
      })
      .strict(),
  ),
} as const;
