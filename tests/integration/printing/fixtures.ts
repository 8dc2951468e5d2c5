import type { OrderReceiptInput, ShopInfo } from '../../../src-main/printing/receipt-model';

/** A Dojo customer receipt as the API returns it (shape from Dojo's own example), with every line type. */
export const dojoCustomerReceipt = {
  lines: [
    { lineType: 'LogoImage', imageLogo: { value: 'logo-id', align: 'AlignCenter' } },
    {
      lineType: 'Text',
      text: {
        value: 'Paymentsense Connect    ',
        size: 'SizeHeader1',
        align: 'AlignLeft',
        emphasisBold: true,
      },
    },
    {
      lineType: 'Text',
      text: {
        value: 'M:**********66701',
        size: 'SizeBody',
        align: 'AlignLeft',
        emphasisBold: false,
      },
    },
    {
      lineType: 'Text',
      text: {
        value: 'TID:****YC8SIP0     ',
        size: 'SizeBody',
        align: 'AlignLeft',
        emphasisBold: false,
      },
    },
    { lineType: 'SingleLineSeperator' },
    {
      lineType: 'Text',
      text: {
        value: 'VISA CREDIT',
        size: 'SizeHeader2',
        align: 'AlignCenter',
        emphasisBold: false,
      },
    },
    {
      lineType: 'Text',
      text: {
        value: '************0226',
        size: 'SizeBody',
        align: 'AlignLeft',
        emphasisBold: false,
      },
    },
    { lineType: 'NewLine' },
    {
      lineType: 'Text',
      text: {
        value: 'AMOUNT             £12.50',
        size: 'SizeBody',
        align: 'AlignLeft',
        emphasisBold: false,
      },
    },
    {
      lineType: 'Text',
      text: {
        value: 'TOTAL              £12.50',
        size: 'SizeHeader1',
        align: 'AlignLeft',
        emphasisBold: true,
      },
    },
    { lineType: 'DoubleLineSeparator' },
    {
      lineType: 'Text',
      text: { value: 'SUCCESSFUL', size: 'SizeBody', align: 'AlignRight', emphasisBold: true },
    },
    {
      lineType: 'Hologram',
      text: { value: 'future line', size: 'SizeBody', align: 'AlignLeft', emphasisBold: false },
    },
    {
      lineType: 'Text',
      text: {
        value: 'AUTH CODE:282994',
        size: 'SizeBody',
        align: 'AlignLeft',
        emphasisBold: false,
      },
    },
  ],
};

export const dojoMerchantReceipt = {
  lines: [
    {
      lineType: 'Text',
      text: {
        value: 'MERCHANT COPY',
        size: 'SizeHeader2',
        align: 'AlignCenter',
        emphasisBold: true,
      },
    },
    {
      lineType: 'Text',
      text: {
        value: 'PLEASE SIGN BELOW',
        size: 'SizeBody',
        align: 'AlignLeft',
        emphasisBold: false,
      },
    },
    {
      lineType: 'Text',
      text: {
        value: 'AUTH CODE:282994',
        size: 'SizeBody',
        align: 'AlignLeft',
        emphasisBold: false,
      },
    },
  ],
};

export const shop: ShopInfo = {
  name: 'The Corner Café',
  address: '12 High Street, Bristol, BS1 4DJ',
  vatNumber: 'GB123456789',
  footer: 'Thank you for visiting! Prices include VAT.',
  tillName: 'Till 1',
  timeZone: 'Europe/London',
};

export const sampleOrder: OrderReceiptInput = {
  shop,
  order: {
    id: 'o1',
    reference: 'R-1042',
    currency: 'GBP',
    subtotalMinor: 1350,
    discountMinor: 100,
    totalMinor: 1250,
    tillId: 'till-1',
    at: '2025-11-23T14:05:00.000Z',
  },
  lines: [
    {
      name: 'Flat white',
      quantity: 2,
      unitPriceMinor: 320,
      lineDiscountMinor: 0,
      vatRateBp: 2000,
      lineTotalMinor: 593,
      vatMinor: 99,
    },
    {
      name: 'Almond croissant',
      quantity: 1,
      unitPriceMinor: 310,
      lineDiscountMinor: 0,
      vatRateBp: 2000,
      lineTotalMinor: 287,
      vatMinor: 48,
    },
    {
      name: 'Sourdough loaf (to take away)',
      quantity: 1,
      unitPriceMinor: 450,
      lineDiscountMinor: 50,
      vatRateBp: 0,
      lineTotalMinor: 370,
      vatMinor: 0,
    },
  ],
  tenders: [
    {
      kind: 'card',
      amountMinor: 1250,
      tenderedMinor: null,
      changeMinor: 0,
      terminalId: 'tm-1',
      cardType: 'VISA',
      cardLast4: '0226',
      authCode: '282994',
    },
  ],
  cardPayments: [],
};
