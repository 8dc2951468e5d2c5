import type {
  ReceiptSize,
  TerminalSessionType,
  WireMoney,
  WirePaymentDetails,
  WireReceipt,
  WireReceiptLine,
} from './wire-types';

/** Terminal receipts are laid out for a 24-column printer, values pre-padded as Dojo sends them. */
const WIDTH = 24;

const SYMBOL: Record<string, string> = { GBP: '£', EUR: '€' };

function money(m: WireMoney | number, currencyCode: string): string {
  const value = typeof m === 'number' ? m : m.value;
  const symbol = SYMBOL[currencyCode] ?? `${currencyCode} `;
  return `${symbol}${Math.trunc(value / 100)}.${String(value % 100).padStart(2, '0')}`;
}

function text(value: string, opts: { size?: ReceiptSize; bold?: boolean } = {}): WireReceiptLine {
  return {
    lineType: 'Text',
    text: {
      value,
      size: opts.size ?? 'SizeBody',
      align: 'AlignLeft',
      emphasisBold: opts.bold ?? false,
    },
  };
}

/** "AMOUNT" and "£10.00" spread over the receipt width. */
function pair(label: string, value: string): string {
  const gap = Math.max(1, WIDTH - label.length - value.length);
  return `${label}${' '.repeat(gap)}${value}`;
}

function centre(value: string): string {
  const left = Math.max(0, Math.floor((WIDTH - value.length) / 2));
  return (' '.repeat(left) + value).padEnd(WIDTH, ' ');
}

export type ReceiptInput = {
  copy: 'CUSTOMER' | 'MERCHANT';
  tid: string;
  sessionType: TerminalSessionType;
  amount: WireMoney;
  payment: WirePaymentDetails;
  outcome: 'SUCCESSFUL' | 'DECLINED' | 'SIGNATURE VERIFIED' | 'CANCELLED';
};

export function buildReceipt(input: ReceiptInput): WireReceipt {
  const { payment, amount } = input;
  const card = payment.card;
  const c = amount.currencyCode;
  const maskedTid =
    input.tid.length > 4 ? '*'.repeat(input.tid.length - 4) + input.tid.slice(-4) : input.tid;
  const label = input.sessionType === 'Sale' ? 'SALE' : 'REFUND';
  const lines: WireReceiptLine[] = [
    { lineType: 'LogoImage', imageLogo: { value: 'OPENTILL TRAINING', align: 'AlignCenter' } },
    text('Dojo Simulator Cafe'.padEnd(WIDTH, ' '), { size: 'SizeHeader1', bold: true }),
    text('1 Training Street'),
    text('M:**********12345'),
    text(`TID:${maskedTid}`.padEnd(WIDTH, ' ')),
    { lineType: 'SingleLineSeperator' },
    text(`${card.cardType} ${card.cardFundingType.toUpperCase()}`),
    text('AID: A0000000031010'),
    text(card.cardType, { size: 'SizeHeader1', bold: true }),
    text(card.cardNumber),
    text('PAN SEQ NO. 01'),
    text(card.entryMode === 'Contactless' ? 'CONTACTLESS' : 'ICC_CHIP'),
    { lineType: 'NewLine' },
    text(label),
    text(pair('AMOUNT', money(amount, c))),
  ];
  if (input.sessionType === 'Sale') {
    lines.push(text(pair('GRATUITY', money(0, c))), text(pair('CASHBACK', money(0, c))));
  }
  lines.push(
    { lineType: 'DoubleLineSeperator' },
    text(pair('TOTAL', money(amount, c)), { size: 'SizeHeader1', bold: true }),
    text(input.outcome, { bold: true }),
  );
  if (card.verificationMethod === 'Pin') lines.push(text('PIN VERIFIED'));
  if (card.verificationMethod === 'Signature') {
    lines.push(text(input.copy === 'MERCHANT' ? 'PLEASE SIGN BELOW' : 'SIGNATURE VERIFIED'));
    if (input.copy === 'MERCHANT')
      lines.push({ lineType: 'NewLine' }, text('X_______________________'));
  }
  lines.push(
    text('Thank You'),
    text(payment.transactionDateTime.replace(/\.\d+Z$/, 'Z')),
    text(`AUTH CODE:${payment.authCode}`),
    { lineType: 'NewLine' },
    text(centre(`${input.copy} COPY`)),
    text(input.copy === 'CUSTOMER' ? ' PLEASE RETAIN RECEIPT' : ' RETAIN FOR YOUR RECORDS'),
  );
  return { lines };
}
