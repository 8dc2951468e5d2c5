import { PNG } from 'pngjs';
import type { DecodedItem, DecodedReceipt } from './escpos-decoder';
import { GLYPH_HEIGHT, GLYPH_WIDTH, glyphPixel } from './bitmap-font';

/**
 * Draws a decoded receipt the way a 203 dpi printer would: font A cells of 12x24 dots, images at
 * their own dots, QR codes as a labelled box (we decode QR commands, we do not re-encode symbols).
 */
const CELL_W = 12;
const CELL_H = 24;
const MARGIN = 16;

type Canvas = { width: number; rows: Uint8Array[] };

function ensure(c: Canvas, height: number): void {
  while (c.rows.length < height) c.rows.push(new Uint8Array(c.width));
}

function dot(c: Canvas, x: number, y: number): void {
  if (x < 0 || x >= c.width || y < 0) return;
  ensure(c, y + 1);
  const row = c.rows[y];
  if (row) row[x] = 1;
}

function drawText(
  c: Canvas,
  text: string,
  x0: number,
  y0: number,
  sx: number,
  sy: number,
  bold: boolean,
): void {
  [...text].forEach((ch, i) => {
    const cx = x0 + i * CELL_W * (sx / 2);
    for (let gx = 0; gx < GLYPH_WIDTH; gx++) {
      for (let gy = 0; gy < GLYPH_HEIGHT; gy++) {
        if (!glyphPixel(ch, gx, gy)) continue;
        for (let dx = 0; dx < sx + (bold ? 1 : 0); dx++)
          for (let dy = 0; dy < sy; dy++) dot(c, cx + 1 + gx * sx + dx, y0 + 2 + gy * sy + dy);
      }
    }
  });
}

function drawItem(c: Canvas, it: DecodedItem, y: number, columns: number): number {
  const paper = columns * CELL_W;
  switch (it.type) {
    case 'text': {
      const wide = it.size === 'wide' || it.size === 'large';
      const tall = it.size === 'tall' || it.size === 'large';
      const cellW = CELL_W * (wide ? 2 : 1);
      const used = it.text.length * cellW;
      const x =
        it.align === 'center'
          ? Math.max(0, Math.floor((paper - used) / 2))
          : it.align === 'right'
            ? Math.max(0, paper - used)
            : 0;
      drawText(c, it.text, x, y, wide ? 4 : 2, tall ? 6 : 3, it.bold);
      return y + CELL_H * (tall ? 2 : 1);
    }
    case 'image': {
      const x0 = Math.max(0, Math.floor((paper - it.width) / 2));
      for (let py = 0; py < it.height; py++)
        for (let px = 0; px < it.width; px++)
          if (it.pixels[py * it.width + px]) dot(c, x0 + px, y + py);
      return y + it.height;
    }
    case 'qr': {
      const size = 150;
      const x0 = Math.floor((paper - size) / 2);
      for (let k = 0; k < size; k++) {
        for (const t of [0, 1, size - 2, size - 1]) {
          dot(c, x0 + k, y + t);
          dot(c, x0 + t, y + k);
        }
      }
      for (const [fx, fy] of [
        [8, 8],
        [size - 38, 8],
        [8, size - 38],
      ] as const) {
        for (let k = 0; k < 30; k++)
          for (let t = 0; t < 30; t++)
            if (k < 5 || k > 24 || t < 5 || t > 24 || (k > 9 && k < 20 && t > 9 && t < 20))
              dot(c, x0 + fx + k, y + fy + t);
      }
      const label = it.data.length > 11 ? it.data.slice(0, 11) : it.data;
      drawText(c, 'QR', x0 + 63, y + 58, 2, 3, true);
      drawText(c, label, x0 + Math.floor((size - label.length * CELL_W) / 2), y + 90, 2, 3, false);
      return y + size + 8;
    }
    case 'feed':
      return y + CELL_H * it.lines;
    case 'cut':
      for (let x = 0; x < paper; x += 8) for (let k = 0; k < 4; k++) dot(c, x + k, y + 12);
      return y + CELL_H;
    case 'drawer':
      drawText(c, '<drawer kick>', 0, y, 2, 3, false);
      return y + CELL_H;
  }
}

/** PNG bytes of the decoded receipt on paper of `columns` characters (32 → 58 mm, 48 → 80 mm). */
export function renderReceiptPng(decoded: DecodedReceipt, columns: number): Buffer {
  const c: Canvas = { width: columns * CELL_W, rows: [] };
  let y = 0;
  for (const it of decoded.items) y = drawItem(c, it, y, columns);
  ensure(c, y + CELL_H);
  const png = new PNG({ width: c.width + 2 * MARGIN, height: c.rows.length + 2 * MARGIN });
  png.data.fill(255);
  c.rows.forEach((row, ry) => {
    row.forEach((v, rx) => {
      if (!v) return;
      const idx = ((ry + MARGIN) * png.width + rx + MARGIN) * 4;
      png.data[idx] = png.data[idx + 1] = png.data[idx + 2] = 20;
    });
  });
  return PNG.sync.write(png);
}
