// @vitest-environment happy-dom
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { block, type ReceiptDocument } from '../../../src-shared/domain/receipt';
import { ReceiptPreview } from './ReceiptPreview';

const doc: ReceiptDocument = {
  version: 1,
  kind: 'customer',
  title: 'Receipt R-1',
  reference: 'R-1',
  createdAt: '2025-11-23T10:00:00.000Z',
  blocks: [
    block.logo(),
    block.text('Shop', { align: 'center', bold: true }),
    block.columns('Tea', '£2.50'),
    block.qr('R-1', 'R-1'),
    block.drawer(),
    block.cut(),
  ],
};

describe('ReceiptPreview', () => {
  it('draws the same lines as the paper, with the QR reference and no drawer', () => {
    const html = renderToStaticMarkup(
      createElement(ReceiptPreview, { document: doc, columns: 32 }),
    );
    expect(html).toContain('Tea' + ' '.repeat(24) + '£2.50');
    expect(html).toContain('aria-label="QR code for R-1"');
    expect(html).toContain('aria-label="Receipt preview: Receipt R-1"');
    expect(html).toContain('width:32ch');
    expect(html).toContain('aria-label="Paper cut"');
  });
});
