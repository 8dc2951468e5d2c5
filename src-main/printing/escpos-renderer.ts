import { createHash } from 'node:crypto';
import { BreakLine, CharacterSet, PrinterTypes, ThermalPrinter } from 'node-thermal-printer';
import { layoutDocument, type LaidOutLine } from '../../src-shared/domain/receipt-layout';
import {
  paperColumns,
  type PaperWidth,
  type ReceiptDocument,
} from '../../src-shared/domain/receipt';
import { TillError } from '../../src-shared/errors';
import { pc858Byte, printableDocument } from './charset';

export type PrinterProfile = { type: 'epson' | 'star'; paperWidth: PaperWidth };

export type RenderOptions = {
  /** Monochrome PNG of the shop logo (`assets/logo.png`); without it the logo block is skipped. */
  logoPng?: Buffer | null;
  copies?: number;
};

const ESC = 0x1b;
const GS = 0x1d;

/**
 * Where node-thermal-printer 4.6 emits wrong bytes we write the command ourselves:
 * - Epson drawer kick: the library sends `ESC p m` without the two pulse-time bytes, so the printer
 *   would swallow the next command; we send the full `ESC p 0 25 250`.
 * - Star QR: the library omits the `ESC GS y D 1` store command, so the data would print as text.
 */
const epsonDrawerKick = Buffer.from([ESC, 0x70, 0x00, 25, 250]);

function starQr(data: string): Buffer {
  const bytes = Buffer.from(data, 'ascii');
  return Buffer.concat([
    Buffer.from([ESC, GS, 0x79, 0x53, 0x30, 0x02]), // model 2
    Buffer.from([ESC, GS, 0x79, 0x53, 0x31, 0x01]), // correction M
    Buffer.from([ESC, GS, 0x79, 0x53, 0x32, 0x06]), // cell size 6
    Buffer.from([ESC, GS, 0x79, 0x44, 0x31, 0x00, bytes.length & 0xff, bytes.length >> 8]),
    bytes,
    Buffer.from([ESC, GS, 0x79, 0x50]), // print
  ]);
}

function newPrinter(profile: PrinterProfile): ThermalPrinter {
  const p = new ThermalPrinter({
    type: profile.type === 'star' ? PrinterTypes.STAR : PrinterTypes.EPSON,
    interface: '', // we only build bytes here; transports live in printer-transport.ts
    width: paperColumns[profile.paperWidth],
    breakLine: BreakLine.NONE,
  });
  p.setBuffer(Buffer.from([ESC, 0x40]));
  p.setCharacterSet(CharacterSet.PC858_EURO);
  return p;
}

/** Text of a laid-out printable document; a character outside PC858 here is a bug of ours. */
function printable(text: string): string {
  const normal = text.normalize('NFC');
  for (const ch of normal)
    if (pc858Byte(ch) === null)
      throw new Error(`receipt text reached the printer unconverted (U+${ch.codePointAt(0)})`);
  return normal;
}

/**
 * The one thing a document can hold that cannot be printed after {@link printableDocument}: a QR
 * code of other than plain ASCII (the till builds those itself). Checked before a byte is built.
 */
export function checkDocumentPrintable(lines: readonly LaidOutLine[]): void {
  for (const l of lines) {
    if (l.type === 'qr') {
      if (!/^[\x20-\x7e]+$/.test(l.data)) {
        throw new TillError(
          'PRINT_UNREPRESENTABLE',
          `The QR code text "${l.data.slice(0, 40)}" must be plain letters, digits and punctuation.`,
        );
      }
    }
  }
}

/**
 * A logo's raster bytes, made once per image and printer type: turning the PNG into them takes
 * ~10 ms (most of a receipt's rendering), the result never changes. Keyed by the image's content.
 */
const logoRasters = new Map<string, Buffer>();
const LOGO_CACHE_SIZE = 8;

async function printLogo(
  p: ThermalPrinter,
  logoPng: Buffer,
  profile: PrinterProfile,
): Promise<void> {
  const key = `${profile.type}:${createHash('sha256').update(logoPng).digest('hex')}`;
  const cached = logoRasters.get(key);
  if (cached) {
    p.add(cached);
    return;
  }
  const raster = Buffer.from(await p.printImageBuffer(logoPng));
  if (logoRasters.size >= LOGO_CACHE_SIZE) logoRasters.clear();
  logoRasters.set(key, raster);
}

async function renderLine(
  p: ThermalPrinter,
  l: LaidOutLine,
  profile: PrinterProfile,
  logoPng: Buffer | null,
): Promise<void> {
  switch (l.type) {
    case 'text':
      if (l.align === 'center') p.alignCenter();
      else if (l.align === 'right') p.alignRight();
      else p.alignLeft();
      // Size first: on Epson `ESC !` also clears emphasis, so bold must come after it.
      if (l.size === 'large') p.setTextQuadArea();
      else if (l.size === 'tall') p.setTextDoubleHeight();
      else p.setTextNormal();
      p.bold(l.bold);
      p.print(printable(l.text));
      p.newLine();
      return;
    case 'qr':
      p.alignCenter();
      p.setTextNormal();
      p.bold(false);
      if (profile.type === 'star') p.add(starQr(l.data));
      else p.printQR(l.data, { cellSize: 6, correction: 'M', model: 2 });
      p.newLine();
      if (l.caption) {
        p.print(printable(l.caption));
        p.newLine();
      }
      return;
    case 'logo':
      if (!logoPng) return;
      p.alignCenter();
      await printLogo(p, logoPng, profile);
      p.newLine();
      return;
    case 'cut':
      p.alignLeft();
      p.setTextNormal();
      p.bold(false);
      p.partialCut({ verticalTabAmount: 1 });
      p.setCharacterSet(CharacterSet.PC858_EURO);
      return;
    case 'drawer':
      if (profile.type === 'star') p.openCashDrawer();
      else p.add(epsonDrawerKick);
      return;
  }
}

/**
 * Renders a receipt document to the bytes the printer receives. A character the printer cannot
 * print comes out as the visible marker (see `printableDocument`); the receipt is never dropped.
 */
export async function renderEscPos(
  doc: ReceiptDocument,
  profile: PrinterProfile,
  options: RenderOptions = {},
): Promise<Buffer> {
  const lines = layoutDocument(printableDocument(doc), paperColumns[profile.paperWidth]);
  checkDocumentPrintable(lines);
  const p = newPrinter(profile);
  for (const l of lines) await renderLine(p, l, profile, options.logoPng ?? null);
  const once = p.getBuffer();
  const copies = Math.max(1, Math.min(5, options.copies ?? 1));
  return copies === 1 ? once : Buffer.concat(Array.from({ length: copies }, () => once));
}
