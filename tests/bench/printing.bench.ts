import { readFileSync } from 'node:fs';
import { PrinterTypes, ThermalPrinter } from 'node-thermal-printer';
import { renderEscPos } from '../../src-main/printing/escpos-renderer';
import { decodeEscPos } from '../../src-main/printing/dev/escpos-decoder';
import { parsePrinterTarget } from '../../src-main/printing/printer-target';
import { sendToPrinter } from '../../src-main/printing/printer-transport';
import {
  buildCustomerReceipt,
  type OrderReceiptInput,
} from '../../src-main/printing/receipt-model';
import { startVirtualPrinter } from '../../src-main/printing/dev/virtual-printer';
import type { BenchRow } from './bench-types';

const logo = readFileSync(new URL('../../assets/logo.png', import.meta.url));

function order(lineCount: number, card: boolean): OrderReceiptInput {
  const lines = Array.from({ length: lineCount }, (_, i) => ({
    name: `Item ${i + 1} ${['Flat white', 'Croissant', 'Sourdough loaf', 'Oat milk latte'][i % 4] ?? ''}`,
    quantity: 1 + (i % 3),
    unitPriceMinor: 150 + i * 10,
    lineDiscountMinor: 0,
    vatRateBp: i % 2 ? 2000 : 0,
    lineTotalMinor: (1 + (i % 3)) * (150 + i * 10),
    vatMinor: 0,
  }));
  const total = lines.reduce((s, l) => s + l.lineTotalMinor, 0);
  return {
    shop: {
      name: 'The Corner Café',
      address: '12 High Street, Bristol',
      vatNumber: 'GB123456789',
      footer: 'Thank you',
      tillName: 'Till 1',
    },
    order: {
      id: 'o',
      reference: 'TILL1-20261201-0042',
      currency: 'GBP',
      subtotalMinor: total,
      discountMinor: 0,
      totalMinor: total,
      tillId: 't',
      at: new Date().toISOString(),
    },
    lines,
    tenders: [
      card
        ? {
            kind: 'card',
            amountMinor: total,
            tenderedMinor: null,
            changeMinor: 0,
            terminalId: 'tm_sandbox_65f0a1c0e1d2c3b4a5960001',
            cardType: 'VISA',
            cardLast4: '2419',
            authCode: '037345',
          }
        : {
            kind: 'cash',
            amountMinor: total,
            tenderedMinor: total + 500,
            changeMinor: 500,
            terminalId: null,
            cardType: null,
            cardLast4: null,
            authCode: null,
          },
    ],
    cardPayments: [],
  };
}
const fortyLineOrder = () => order(40, false);

async function median(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? 0;
}

/** A typical receipt: 4 lines, paid by card, with the logo — model built and bytes rendered. */
async function typicalReceipt(): Promise<BenchRow[]> {
  const input = order(4, true);
  const profile = { type: 'epson', paperWidth: 80 } as const;
  const once = () => renderEscPos(buildCustomerReceipt(input), profile, { logoPng: logo });
  for (let i = 0; i < 30; i++) await once(); // warm-up (JIT, code page tables)
  const times: number[] = [];
  for (let i = 0; i < 300; i++) {
    const t = performance.now();
    await once();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  // Naive: the PNG turned into raster bytes for every receipt (as before the logo cache).
  const naive: number[] = [];
  for (let i = 0; i < 30; i++) {
    const t = performance.now();
    await renderEscPos(buildCustomerReceipt(input), profile);
    await new ThermalPrinter({ type: PrinterTypes.EPSON, interface: '' }).printImageBuffer(logo);
    naive.push(performance.now() - t);
  }
  naive.sort((a, b) => a - b);
  const bytes = (await once()).length;
  const noLogo = (await renderEscPos(buildCustomerReceipt(input), profile)).length;
  return [
    {
      feature: 'receipts',
      name: 'receipt model + ESC/POS bytes, 4-line card sale with logo (p50)',
      value: times[Math.floor(times.length / 2)] ?? NaN,
      unit: 'ms',
      target: 2,
      naive: { value: naive[15] ?? NaN, what: 'logo PNG converted every time' },
      note: `p95 ${(times[Math.floor(times.length * 0.95)] ?? NaN).toFixed(2)} ms`,
    },
    {
      feature: 'receipts',
      name: 'bytes per receipt, 4-line card sale with logo',
      value: bytes,
      unit: 'bytes',
      note: `${noLogo} bytes without the logo`,
    },
  ];
}

export async function bench(): Promise<BenchRow[]> {
  const typical = await typicalReceipt();
  const doc = buildCustomerReceipt(fortyLineOrder());
  const profile = { type: 'epson', paperWidth: 80 } as const;
  await median(20, () => renderEscPos(doc, profile, { logoPng: logo })); // warm-up (JIT, iconv tables)
  const noLogo = await median(30, () => renderEscPos(doc, profile));
  const withLogo = await median(30, () => renderEscPos(doc, profile, { logoPng: logo }));
  const bytes = await renderEscPos(doc, profile, { logoPng: logo });
  const decode = await median(30, () => Promise.resolve(decodeEscPos(bytes)));
  const printer = await startVirtualPrinter();
  try {
    const target = parsePrinterTarget(printer.url);
    let n = 0;
    const tcp = await median(20, async () => {
      await sendToPrinter(target, bytes, { statusQuery: true });
      await printer.waitForJobs(++n);
    });
    return [
      ...typical,
      {
        feature: 'printing',
        name: 'render 40-line receipt to ESC/POS (no logo)',
        value: noLogo,
        unit: 'ms',
        target: 20,
      },
      {
        feature: 'printing',
        name: 'render 40-line receipt to ESC/POS (with logo)',
        value: withLogo,
        unit: 'ms',
        target: 50,
      },
      {
        feature: 'printing',
        name: 'bytes per 40-line receipt (with logo)',
        value: bytes.length,
        unit: 'bytes',
        target: 16_384,
        note: 'kept under a 16 KiB printer buffer',
      },
      {
        feature: 'printing',
        name: 'decode 40-line receipt (test oracle)',
        value: decode,
        unit: 'ms',
        target: 20,
      },
      {
        feature: 'printing',
        name: 'print to virtual printer over TCP (status query + send + capture)',
        value: tcp,
        unit: 'ms',
        target: 100,
      },
    ];
  } finally {
    await printer.close();
  }
}
