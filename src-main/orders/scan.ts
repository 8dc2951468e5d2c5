import type { Db } from '../db/connection';
import { TillError } from '../../src-shared/errors';
import type { ScanResult } from '../../src-shared/domain/catalogue';
import {
  decodeScaleBarcode,
  looksLikeScaleBarcode,
  weighedPrice,
  type ScaleBarcodeRule,
} from '../../src-shared/domain/scale-barcodes';
import { findByBarcode, findProductByPlu } from './catalogue.repo';

/**
 * What a scanned code names, with the catalogue's figures: a product's or a variant's own
 * barcode first; else a scale label (weight or price in the code) for the product with that PLU.
 * Everything that cannot be sold is refused in plain words.
 */
export function resolveScan(db: Db, code: string, rules: readonly ScaleBarcodeRule[]): ScanResult {
  const exact = findByBarcode(db, code);
  if (exact) {
    const { product, variant } = exact;
    if (!product.active || (variant && !variant.active))
      throw new TillError(
        'NOT_FOUND',
        `${product.name} (barcode ${code}) is switched off in the catalogue`,
      );
    if (product.soldBy === 'weight')
      throw new TillError(
        'VALIDATION',
        `${product.name} is sold by weight: scan the label printed by the scale`,
      );
    return { product, variantId: variant?.id ?? null, scale: null };
  }
  if (!looksLikeScaleBarcode(code))
    throw new TillError('NOT_FOUND', `No product has barcode ${code}`);
  const decoded = decodeScaleBarcode(code, rules);
  if (!decoded.ok) throw new TillError('VALIDATION', decoded.reason);
  const product = findProductByPlu(db, decoded.plu);
  if (!product)
    throw new TillError(
      'NOT_FOUND',
      `No product has scale item code ${decoded.plu} (from label ${code})`,
    );
  if (!product.active)
    throw new TillError('NOT_FOUND', `${product.name} is switched off in the catalogue`);
  if (decoded.kind === 'weight') {
    if (product.soldBy !== 'weight')
      throw new TillError(
        'VALIDATION',
        `Label ${code} carries a weight, but ${product.name} is not sold by weight`,
      );
    return {
      product,
      variantId: null,
      scale: {
        kind: 'weight',
        code,
        grams: decoded.grams,
        pricePerKgMinor: product.priceMinor,
        priceMinor: weighedPrice(decoded.grams, product.priceMinor),
      },
    };
  }
  if (product.variants.length > 0)
    throw new TillError(
      'VALIDATION',
      `${product.name} has variants: a price label cannot say which one; scan the variant's own barcode`,
    );
  return {
    product,
    variantId: null,
    scale: { kind: 'price', code, priceMinor: decoded.priceMinor },
  };
}
