import { describe, expect, it } from 'vitest';
import {
  decodeScaleBarcode,
  defaultScaleBarcodeRules,
  formatKg,
  scaleBarcode,
  weighedPrice,
} from '../../src-shared/domain/scale-barcodes';
import { isValidBarcode } from '../../src-shared/domain/catalogue';

describe('scale labels (weighed and price-embedded EAN-13)', () => {
  it('builds labels with a valid EAN-13 check digit and reads them back', () => {
    const label = scaleBarcode('21', '00123', 245);
    expect(label).toBe('2100123002450');
    expect(isValidBarcode(label)).toBe(true);
    expect(decodeScaleBarcode(label, defaultScaleBarcodeRules)).toEqual({
      ok: true,
      kind: 'weight',
      plu: '00123',
      grams: 245,
      code: label,
    });
    const price = scaleBarcode('22', '00200', 1234);
    expect(decodeScaleBarcode(price, defaultScaleBarcodeRules)).toEqual({
      ok: true,
      kind: 'price',
      plu: '00200',
      priceMinor: 1234,
      code: price,
    });
  });

  it('refuses a wrong check digit, an unknown prefix, a zero value and codes that are not labels', () => {
    const label = scaleBarcode('21', '00123', 245);
    const wrong = label.slice(0, 12) + String((Number(label[12]) + 5) % 10);
    expect(decodeScaleBarcode(wrong, defaultScaleBarcodeRules)).toEqual({
      ok: false,
      reason: `Barcode ${wrong} has a wrong check digit (last digit): scan the label again`,
    });
    const other = scaleBarcode('29', '00123', 245);
    expect(decodeScaleBarcode(other, defaultScaleBarcodeRules)).toMatchObject({
      ok: false,
      reason: expect.stringContaining(
        'starts with 29, which is not a scale-label prefix',
      ) as unknown,
    });
    expect(
      decodeScaleBarcode(scaleBarcode('22', '00200', 0), defaultScaleBarcodeRules),
    ).toMatchObject({
      ok: false,
      reason: expect.stringContaining('shows a price of 0') as unknown,
    });
    expect(decodeScaleBarcode('5012345000015', defaultScaleBarcodeRules)).toMatchObject({
      ok: false,
    });
    // A shop can set its own prefixes: 25 carries a weight there.
    expect(
      decodeScaleBarcode(scaleBarcode('25', '00001', 1000), [{ prefix: '25', kind: 'weight' }]),
    ).toMatchObject({ ok: true, kind: 'weight', grams: 1000 });
  });

  it('prices a weight half up to a whole minor unit', () => {
    expect(weighedPrice(245, 1800)).toBe(441); // 4.41 exactly
    expect(weighedPrice(333, 199)).toBe(66); // 66.267 → 66
    expect(weighedPrice(250, 2)).toBe(1); // 0.5 → 1 (half up)
    expect(weighedPrice(249, 2)).toBe(0); // 0.498 → 0
    expect(weighedPrice(99_999, 10_000_000)).toBe(999_990_000);
    expect(formatKg(245)).toBe('0.245 kg');
    expect(formatKg(12_500)).toBe('12.500 kg');
  });
});
