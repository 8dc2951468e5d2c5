import { readFileSync } from 'node:fs';
import { ThermalPrinter } from 'node-thermal-printer';
import { PNG } from 'pngjs';
import { describe, expect, it, vi } from 'vitest';
import { decodeEscPos } from './dev/escpos-decoder';
import { renderEscPos } from './escpos-renderer';
import { block, type ReceiptDocument } from '../../src-shared/domain/receipt';

const logo = readFileSync(new URL('../../assets/logo.png', import.meta.url));
const doc = (title: string): ReceiptDocument => ({
  version: 1,
  kind: 'test',
  title,
  reference: null,
  createdAt: '2026-12-01T10:00:00.000Z',
  blocks: [block.logo(), block.text(title), block.cut()],
});

describe('ESC/POS logo', () => {
  it('turns the logo into printer bytes once per image and printer type, and prints the same', async () => {
    const convert = vi.spyOn(ThermalPrinter.prototype, 'printImageBuffer');
    try {
      // A logo no other test used yet, so the first render really converts it.
      const png = new PNG({ width: 64, height: 16 });
      png.data.fill(0xff);
      for (let x = 0; x < 64; x++) png.data[(8 * 64 + x) * 4] = 0; // a dark stripe
      const own = PNG.sync.write(png);
      const epson = { type: 'epson', paperWidth: 80 } as const;
      const first = await renderEscPos(doc('First'), epson, { logoPng: own });
      const second = await renderEscPos(doc('First'), epson, { logoPng: own });
      expect(convert).toHaveBeenCalledTimes(1);
      expect(second.equals(first)).toBe(true);
      const images = decodeEscPos(second).items.filter((i) => i.type === 'image');
      expect(images).toHaveLength(1);
      expect(images[0]).toMatchObject({ width: 64, height: 16 });
      // A copy of the same image (another Buffer) hits the same entry; Star gets its own bytes.
      await renderEscPos(doc('Again'), epson, { logoPng: Buffer.from(own) });
      expect(convert).toHaveBeenCalledTimes(1);
      await renderEscPos(doc('Star'), { type: 'star', paperWidth: 80 }, { logoPng: own });
      expect(convert).toHaveBeenCalledTimes(2);
      // The shop logo prints as an image as before.
      const shopLogo = decodeEscPos(await renderEscPos(doc('Shop'), epson, { logoPng: logo }));
      expect(shopLogo.items.find((i) => i.type === 'image')).toBeDefined();
      expect(shopLogo.text).toContain('Shop');
    } finally {
      convert.mockRestore();
    }
  });
});
