import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDojoReceipt } from '../../../src-main/printing/dojo-receipt';
import { renderEscPos } from '../../../src-main/printing/escpos-renderer';
import { parsePrinterTarget } from '../../../src-main/printing/printer-target';
import { sendToPrinter } from '../../../src-main/printing/printer-transport';
import {
  buildCustomerReceipt,
  buildTestPrint,
  type OrderReceiptInput,
} from '../../../src-main/printing/receipt-model';
import { renderReceiptPng } from '../../../src-main/printing/dev/receipt-png';
import {
  startVirtualPrinter,
  type VirtualPrinter,
} from '../../../src-main/printing/dev/virtual-printer';
import { dojoCustomerReceipt, sampleOrder, shop } from './fixtures';

const logo = readFileSync(new URL('../../../assets/logo.png', import.meta.url));
const withCard: OrderReceiptInput = {
  ...sampleOrder,
  cardPayments: [
    {
      attemptId: 'a1',
      terminalId: 'tm-1',
      amountMinor: 1250,
      customerReceipt: parseDojoReceipt(JSON.stringify({ customerReceipt: dojoCustomerReceipt })),
      merchantReceipt: null,
      signatureTaken: false,
    },
  ],
};

describe('receipts through the virtual printer over TCP', () => {
  let printer: VirtualPrinter;
  beforeAll(async () => {
    printer = await startVirtualPrinter({ columns: 48 });
  });
  afterAll(() => printer.close());

  for (const [type, paperWidth, columns] of [
    ['epson', 80, 48],
    ['star', 58, 32],
  ] as const) {
    it(`prints a card sale on ${type} ${paperWidth} mm: items, VAT, totals, £, Dojo lines verbatim, QR, cut`, async () => {
      const bytes = await renderEscPos(
        buildCustomerReceipt(withCard),
        { type, paperWidth },
        { logoPng: logo },
      );
      const before = printer.jobs.length;
      await sendToPrinter(parsePrinterTarget(printer.url), bytes, {
        statusQuery: type === 'epson',
      });
      const [job] = (await printer.waitForJobs(before + 1)).slice(before);
      if (!job) throw new Error('no job captured');
      // Epson: the paper-status query (DLE EOT 4) goes first, then the receipt, byte for byte.
      expect(job.bytes.subarray(job.bytes.length - bytes.length).equals(bytes)).toBe(true);
      const d = job.decoded;
      expect(d.statusQueries).toBe(type === 'epson' ? 1 : 0);
      expect(d.dialect).toBe(type);
      expect(d.unknown).toEqual([]);
      expect(d.codePages).toContain(type === 'star' ? 4 : 19); // PC858, never switched
      expect(new Set(d.codePages).size).toBe(1);
      const text = d.items.flatMap((i) => (i.type === 'text' ? [i.text] : [])).join('\n');
      for (const s of [
        'The Corner Café',
        'VAT No: GB123456789',
        'Flat white',
        '  2 x £3.20',
        'Almond croissant',
        '£12.50',
        'VAT 20% on £8.80',
        '£1.47',
        'Card VISA ****0226',
      ]) {
        expect(text).toContain(s);
      }
      expect(d.items.find((i) => i.type === 'text' && i.text.startsWith('TOTAL'))).toMatchObject({
        bold: true,
        size: 'large',
      });
      // Dojo lines verbatim, with their spacing, styles and every line type
      expect(text).toContain('AMOUNT             £12.50');
      expect(text).toContain('Paymentsense Connect    ');
      expect(text).toContain('TID:****YC8SIP0     ');
      expect(text).toContain('[Hologram] future line');
      expect(text).toContain('='.repeat(columns));
      expect(d.items.find((i) => i.type === 'text' && i.text === 'SUCCESSFUL')).toMatchObject({
        align: 'right',
        bold: true,
      });
      expect(d.items.find((i) => i.type === 'text' && i.text === 'VISA CREDIT')).toMatchObject({
        align: 'center',
        size: 'tall',
      });
      expect(d.items.filter((i) => i.type === 'qr')).toEqual([{ type: 'qr', data: 'R-1042' }]);
      expect(d.items.some((i) => i.type === 'image' && i.width === 256 && i.height === 72)).toBe(
        true,
      );
      expect(d.items.at(-1)?.type === 'cut' || d.items.some((i) => i.type === 'cut')).toBe(true);
      expect(d.items.some((i) => i.type === 'drawer')).toBe(false);
      for (const i of d.items)
        if (i.type === 'text')
          expect(i.text.length).toBeLessThanOrEqual(i.size === 'large' ? columns / 2 : columns);
      writeFileSync(
        `/tmp/opentill-receipt-${type}-${paperWidth}.png`,
        renderReceiptPng(d, columns),
      );
      writeFileSync(`/tmp/opentill-receipt-${type}-${paperWidth}.txt`, d.text);
    });
  }

  it('prints € for a euro shop and the test page carries both £ and €', async () => {
    const eur: OrderReceiptInput = {
      ...sampleOrder,
      order: { ...sampleOrder.order, currency: 'EUR' },
    };
    const before = printer.jobs.length;
    await sendToPrinter(
      parsePrinterTarget(printer.url),
      await renderEscPos(buildCustomerReceipt(eur), { type: 'epson', paperWidth: 80 }),
    );
    await sendToPrinter(
      parsePrinterTarget(printer.url),
      await renderEscPos(buildTestPrint(shop, new Date().toISOString(), printer.url, 48), {
        type: 'epson',
        paperWidth: 80,
      }),
    );
    const jobs = (await printer.waitForJobs(before + 2)).slice(before);
    expect(jobs[0]?.decoded.text).toContain('€12.50');
    expect(jobs[0]?.decoded.text).not.toContain('£');
    expect(jobs[1]?.decoded.text).toContain('£1.00 / €1.00');
    // PC858 bytes on the wire: £ = 0x9C, € = 0xD5
    expect(jobs[1]?.bytes.includes(Buffer.from([0x9c]))).toBe(true);
    expect(jobs[1]?.bytes.includes(Buffer.from([0xd5]))).toBe(true);
  });
});
