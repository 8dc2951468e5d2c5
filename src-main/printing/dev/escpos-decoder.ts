import iconv from 'iconv-lite';
import type { ReceiptAlign } from '../../../src-shared/domain/receipt';

/**
 * Decodes the ESC/POS (Epson) and Star line-mode bytes this till emits back into text, images, QR
 * codes, cuts and drawer kicks. It is the test oracle and the virtual printer's brain, so it only
 * knows the commands we send; anything else is listed in `unknown` rather than guessed at.
 */
export type DecodedSize = 'normal' | 'tall' | 'wide' | 'large';

export type DecodedItem =
  | { type: 'text'; text: string; align: ReceiptAlign; bold: boolean; size: DecodedSize }
  | {
      type: 'image';
      width: number;
      height: number;
      /** one byte per pixel, 1 = black */ pixels: Uint8Array;
    }
  | { type: 'qr'; data: string }
  | { type: 'feed'; lines: number }
  | { type: 'cut' }
  | { type: 'drawer' };

export type Dialect = 'epson' | 'star';

export type DecodedReceipt = {
  dialect: Dialect;
  items: DecodedItem[];
  /** Text lines aligned as on paper of `columns` characters; QR codes as `[QR data]`. */
  text: string;
  codePages: number[];
  statusQueries: number;
  unknown: string[];
};

const codePageNames: Record<Dialect, Record<number, string>> = {
  epson: { 0: 'CP437', 2: 'CP850', 19: 'CP858' },
  star: { 1: 'CP437', 4: 'CP858', 5: 'CP850' },
};

export function detectDialect(bytes: Uint8Array): Dialect {
  for (let i = 0; i + 2 < bytes.length; i++) {
    if (
      bytes[i] === 0x1b &&
      bytes[i + 1] === 0x1d &&
      (bytes[i + 2] === 0x74 || bytes[i + 2] === 0x61)
    )
      return 'star';
  }
  return 'epson';
}

type State = {
  align: ReceiptAlign;
  bold: boolean;
  height: boolean;
  width: boolean;
  codePage: number;
};

const initial = (d: Dialect): State => ({
  align: 'left',
  bold: false,
  height: false,
  width: false,
  codePage: d === 'star' ? 1 : 0,
});
const alignOf = (n: number): ReceiptAlign =>
  n % 48 === 1 ? 'center' : n % 48 === 2 ? 'right' : 'left';
const sizeOf = (s: State): DecodedSize =>
  s.height && s.width ? 'large' : s.height ? 'tall' : s.width ? 'wide' : 'normal';

export function decodeEscPos(
  input: Uint8Array,
  options: { columns?: number; dialect?: Dialect } = {},
): DecodedReceipt {
  const b = input;
  const dialect = options.dialect ?? detectDialect(b);
  const items: DecodedItem[] = [];
  const unknown: string[] = [];
  const codePages: number[] = [];
  let statusQueries = 0;
  let st = initial(dialect);
  let line: number[] = [];
  let lineStyle: State | null = null;
  let qrData = '';
  let starImage: { widthBytes: number; rows: number[][] } | null = null;

  const flush = () => {
    const s = lineStyle ?? st;
    const cp = codePageNames[dialect][s.codePage];
    const text = line
      .map((c) =>
        c < 0x80 ? String.fromCharCode(c) : cp ? iconv.decode(Buffer.from([c]), cp) : '\uFFFD',
      )
      .join('');
    items.push({ type: 'text', text, align: st.align, bold: s.bold, size: sizeOf(s) });
    line = [];
    lineStyle = null;
  };
  const closeStarImage = () => {
    if (!starImage) return;
    const width = starImage.widthBytes * 8;
    items.push(bitsToImage(starImage.rows.flat(), width, starImage.rows.length));
    starImage = null;
  };
  const at = (i: number): number => b[i] ?? 0;
  const skip = (i: number, n: number, what: string): number => {
    unknown.push(`${what} ${Buffer.from(b.subarray(i, i + n)).toString('hex')}`);
    return i + n;
  };

  let i = 0;
  while (i < b.length) {
    const c = at(i);
    if (c >= 0x20 && c !== 0x7f) {
      closeStarImage();
      if (line.length === 0) lineStyle = { ...st };
      line.push(c);
      i++;
      continue;
    }
    if (c === 0x0a) {
      if (starImage) {
        i++;
        continue;
      }
      flush();
      i++;
      continue;
    }
    if (c === 0x0d) {
      i++;
      continue;
    }
    if (c === 0x0b && dialect === 'star') {
      items.push({ type: 'feed', lines: 1 });
      i++;
      continue;
    }
    if (c === 0x10 && at(i + 1) === 0x04) {
      statusQueries++;
      i += 3;
      continue;
    }
    if (c === 0x1b) {
      const cmd = at(i + 1);
      if (cmd !== 0x6b) closeStarImage();
      if (cmd === 0x40) {
        st = initial(dialect);
        i += 2;
        continue;
      }
      if (dialect === 'star' && cmd === 0x1d) {
        const sub = at(i + 2);
        if (sub === 0x74) {
          st.codePage = at(i + 3);
          codePages.push(at(i + 3));
          i += 4;
        } else if (sub === 0x61) {
          st.align = alignOf(at(i + 3));
          i += 4;
        } else if (sub === 0x79 && at(i + 3) === 0x53) i += 6;
        else if (sub === 0x79 && at(i + 3) === 0x44) {
          const n = at(i + 6) + at(i + 7) * 256;
          qrData = Buffer.from(b.subarray(i + 8, i + 8 + n)).toString('latin1');
          i += 8 + n;
        } else if (sub === 0x79 && at(i + 3) === 0x50) {
          items.push({ type: 'qr', data: qrData });
          i += 4;
        } else i = skip(i, 3, 'ESC GS');
        continue;
      }
      if (dialect === 'star') {
        if (cmd === 0x45) {
          st.bold = true;
          i += 2;
        } else if (cmd === 0x46) {
          st.bold = false;
          i += 2;
        } else if (cmd === 0x69) {
          st.height = at(i + 2) > 0;
          st.width = at(i + 3) > 0;
          i += 4;
        } else if (cmd === 0x64) {
          items.push({ type: 'cut' });
          i += 3;
        } else if (cmd === 0x07) {
          items.push({ type: 'drawer' });
          i += at(i + 4) === 0x07 ? 5 : 4;
        } else if (cmd === 0x30) i += 2;
        else if (cmd === 0x7a || cmd === 0x2d) i += 3;
        else if (cmd === 0x6b) {
          const widthBytes = at(i + 2) + at(i + 3) * 256;
          starImage ??= { widthBytes, rows: [] };
          const data = Array.from(b.subarray(i + 4, i + 4 + widthBytes * 24));
          for (let r = 0; r < 24; r++)
            starImage.rows.push(data.slice(r * widthBytes, (r + 1) * widthBytes));
          i += 4 + widthBytes * 24;
        } else i = skip(i, 2, 'ESC');
        continue;
      }
      // Epson
      if (cmd === 0x74) {
        st.codePage = at(i + 2);
        codePages.push(at(i + 2));
        i += 3;
      } else if (cmd === 0x61) {
        st.align = alignOf(at(i + 2));
        i += 3;
      } else if (cmd === 0x45) {
        st.bold = (at(i + 2) & 1) === 1;
        i += 3;
      } else if (cmd === 0x21) {
        const n = at(i + 2);
        st.height = (n & 0x10) !== 0;
        st.width = (n & 0x20) !== 0;
        st.bold = (n & 0x08) !== 0;
        i += 3;
      } else if (cmd === 0x64) {
        if (line.length) flush();
        items.push({ type: 'feed', lines: at(i + 2) });
        i += 3;
      } else if (cmd === 0x70) {
        items.push({ type: 'drawer' });
        i += 5;
      } else if (cmd === 0x32) i += 2;
      else if (cmd === 0x33 || cmd === 0x4d || cmd === 0x2d) i += 3;
      else i = skip(i, 2, 'ESC');
      continue;
    }
    if (c === 0x1d && dialect === 'epson') {
      const cmd = at(i + 1);
      if (cmd === 0x56) {
        items.push({ type: 'cut' });
        i += at(i + 2) >= 65 ? 4 : 3;
      } else if (cmd === 0x21) {
        const n = at(i + 2);
        st.width = (n & 0xf0) !== 0;
        st.height = (n & 0x0f) !== 0;
        i += 3;
      } else if (cmd === 0x28 && at(i + 2) === 0x6b) {
        const len = at(i + 3) + at(i + 4) * 256;
        const fn = at(i + 6);
        if (fn === 0x50) qrData = Buffer.from(b.subarray(i + 8, i + 5 + len)).toString('latin1');
        if (fn === 0x51) items.push({ type: 'qr', data: qrData });
        i += 5 + len;
      } else if (cmd === 0x76 && at(i + 2) === 0x30) {
        const widthBytes = at(i + 4) + at(i + 5) * 256;
        const height = at(i + 6) + at(i + 7) * 256;
        const data = Array.from(b.subarray(i + 8, i + 8 + widthBytes * height));
        items.push(bitsToImage(data, widthBytes * 8, height));
        i += 8 + widthBytes * height;
      } else if (
        cmd === 0x72 ||
        cmd === 0x42 ||
        cmd === 0x48 ||
        cmd === 0x66 ||
        cmd === 0x77 ||
        cmd === 0x68
      ) {
        if (cmd === 0x72) statusQueries++;
        i += 3;
      } else i = skip(i, 2, 'GS');
      continue;
    }
    i = skip(i, 1, 'byte');
  }
  closeStarImage();
  if (line.length) flush();
  return {
    dialect,
    items,
    text: decodedText(items, options.columns ?? 48),
    codePages,
    statusQueries,
    unknown,
  };
}

function bitsToImage(bytes: number[], width: number, height: number): DecodedItem {
  const pixels = new Uint8Array(width * height);
  const widthBytes = width / 8;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const byte = bytes[y * widthBytes + (x >> 3)] ?? 0;
      pixels[y * width + x] = (byte >> (7 - (x & 7))) & 1;
    }
  }
  return { type: 'image', width, height, pixels };
}

export function decodedText(items: readonly DecodedItem[], columns: number): string {
  const out: string[] = [];
  for (const it of items) {
    if (it.type === 'qr') out.push(`[QR ${it.data}]`);
    else if (it.type === 'image') out.push(`[image ${it.width}x${it.height}]`);
    else if (it.type === 'cut') out.push('[cut]');
    else if (it.type === 'drawer') out.push('[drawer]');
    else if (it.type === 'text') {
      const width = it.size === 'large' || it.size === 'wide' ? Math.floor(columns / 2) : columns;
      const pad = width - it.text.length;
      out.push(
        pad > 0 && it.align !== 'left'
          ? ' '.repeat(it.align === 'center' ? Math.floor(pad / 2) : pad) + it.text
          : it.text,
      );
    }
  }
  return out.map((l) => l.trimEnd()).join('\n');
}
