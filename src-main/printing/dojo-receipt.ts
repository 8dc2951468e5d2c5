import { maskCardNumbers } from '../logging/redact';
import type { DojoLine, ReceiptAlign, ReceiptTextSize } from '../../src-shared/domain/receipt';

/**
 * Reads a Dojo receipt as stored on a payment attempt (`{lines:[…]}` as Dojo returns it, or wrapped
 * as `customerReceipt` / `merchantReceipt` / `receipt`) into document lines. Tolerant on purpose:
 * an unknown line type, size or alignment is kept and shown generically, never fatal (docs/PAYMENTS.md rule 9).
 */
export function parseDojoReceipt(stored: string | null | undefined): DojoLine[] | null {
  if (!stored) return null;
  let value: unknown;
  try {
    value = JSON.parse(stored);
  } catch {
    return [
      { kind: 'unknown', lineType: 'Unreadable', text: 'The card receipt could not be read' },
    ];
  }
  const lines = findLines(value);
  return lines ? lines.map(toLine) : null;
}

function findLines(value: unknown): unknown[] | null {
  if (Array.isArray(value)) return value as unknown[];
  if (!isRecord(value)) return null;
  if (Array.isArray(value.lines)) return value.lines as unknown[];
  for (const key of ['customerReceipt', 'merchantReceipt', 'receipt']) {
    const inner = value[key];
    if (isRecord(inner) && Array.isArray(inner.lines)) return inner.lines as unknown[];
  }
  return null;
}

/** Receipts stored before masking existed are masked on the way to the screen and the printer. */
const maskOrNull = (text: string | null): string | null =>
  text === null ? null : maskCardNumbers(text);

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const str = (v: unknown): string | null =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;

function align(v: unknown): ReceiptAlign {
  if (v === 'AlignCenter') return 'center';
  if (v === 'AlignRight') return 'right';
  return 'left';
}

function size(v: unknown): ReceiptTextSize {
  if (v === 'SizeHeader1') return 'large';
  if (v === 'SizeHeader2') return 'tall';
  return 'normal';
}

/** Dojo spells it "Seperator"; accept the dictionary spelling too, in any case. */
const normalType = (t: string): string => t.toLowerCase().replace('seperator', 'separator');

function toLine(raw: unknown): DojoLine {
  if (!isRecord(raw)) return { kind: 'unknown', lineType: typeof raw, text: str(raw) };
  const lineType = str(raw.lineType) ?? 'Missing';
  const text = isRecord(raw.text) ? raw.text : null;
  switch (normalType(lineType)) {
    case 'text':
      return {
        kind: 'text',
        text: maskCardNumbers((text && str(text.value)) ?? ''),
        align: align(text?.align),
        bold: text?.emphasisBold === true,
        size: size(text?.size),
      };
    case 'newline':
      return { kind: 'newline' };
    case 'singlelineseparator':
      return { kind: 'separator', style: 'single' };
    case 'doublelineseparator':
      return { kind: 'separator', style: 'double' };
    case 'logoimage':
      return {
        kind: 'logo',
        align: align(isRecord(raw.imageLogo) ? raw.imageLogo.align : undefined),
      };
    default:
      return {
        kind: 'unknown',
        lineType: lineType.slice(0, 100),
        text: text ? maskOrNull(str(text.value)?.slice(0, 500) ?? null) : null,
      };
  }
}
