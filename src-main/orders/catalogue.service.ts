import type { CurrencyCode } from '../../src-shared/money';
import type { Db } from '../db/connection';
import { nowIso } from '../db/connection';
import type { Logger } from '../logging/logger';
import type { EventBus } from '../platform/event-bus';
import { TillError } from '../../src-shared/errors';
import type {
  CatalogueQuery,
  CsvImportResult,
  ModifierGroup,
  ModifierGroupInput,
  Product,
  ProductInput,
  ScanResult,
  VatRate,
} from '../../src-shared/domain/catalogue';
import type { ScaleBarcodeRule } from '../../src-shared/domain/scale-barcodes';
import {
  countProducts,
  deleteProduct,
  findProductByBarcode,
  getProduct,
  listModifierGroups,
  listProducts,
  listVatRates,
  setVatRates,
  upsertModifierGroup,
  upsertProduct,
} from './catalogue.repo';
import { exportCatalogueCsv, importCatalogueCsv } from './csv-import';
import { resolveScan } from './scan';
import { audit } from './orders.mutations';
import type { SharedCatalogue, SharedProduct } from './shared-catalogue';

/** Thrown inside a transaction to roll back a dry run, carrying what it would have saved. */
class DryRun extends Error {
  constructor(readonly product: Product) {
    super('dry run');
  }
}

const sharedFields = (p: Product): SharedProduct => ({
  id: p.id,
  name: p.name,
  category: p.category,
  priceMinor: p.priceMinor,
  vatRateBp: p.vatRateBp,
  barcode: p.barcode,
  shortcut: p.shortcut,
  sortOrder: p.sortOrder,
  active: p.active,
});

export type CatalogueService = ReturnType<typeof createCatalogueService>;

export function createCatalogueService(deps: {
  db: Db;
  logger: Logger;
  bus: EventBus;
  scaleRules?: () => readonly ScaleBarcodeRule[];
  /** The till's currency: CSV prices are read (and refused) in its words. */
  currency?: () => CurrencyCode;
}) {
  const { db, bus } = deps;
  const log = deps.logger.child('catalogue');
  const changed = () => bus.emit('catalogue:changed', { count: countProducts(db) });
  /** The product as this till's rules would save it, saving nothing. */
  const planInShop = (input: ProductInput): Product => {
    try {
      db.transaction(() => {
        throw new DryRun(upsertProduct(db, input));
      })();
    } catch (error) {
      if (error instanceof DryRun) return error.product;
      throw error;
    }
    throw new Error('a dry run must end in its rollback');
  };

  return {
    list: (query?: CatalogueQuery): Product[] => listProducts(db, query),

    upsert(input: ProductInput): Product {
      const product = upsertProduct(db, input);
      audit(
        db,
        input.id ? 'catalogue.update' : 'catalogue.create',
        product.id,
        { name: product.name, priceMinor: product.priceMinor },
        nowIso(),
      );
      changed();
      return product;
    },

    /**
     * A joined till's edit goes to the shop: checked here first by the till's own rules (a dry
     * run, rolled back), then written to the shop database as a manager, and only then to this
     * till — so a shop database that cannot be reached leaves both untouched. What the shop does
     * not hold yet (variants, modifiers, eat-in VAT, weight, PLU, SKU) stays this till's own.
     */
    async upsertInShop(input: ProductInput, shop: SharedCatalogue): Promise<Product> {
      const checked = planInShop(input);
      await shop.publish(sharedFields(checked));
      const product = upsertProduct(db, { ...input, id: checked.id });
      audit(
        db,
        input.id ? 'catalogue.update' : 'catalogue.create',
        product.id,
        { name: product.name, priceMinor: product.priceMinor, shop: true },
        nowIso(),
      );
      changed();
      return product;
    },

    /** A shop's product is never deleted (other tills may have sold it): it is switched off. */
    async deactivateInShop(
      id: string,
      shop: SharedCatalogue,
    ): Promise<{ id: string; outcome: 'deactivated' }> {
      const product = getProduct(db, id);
      if (!product) throw new TillError('NOT_FOUND', 'That product no longer exists.');
      await shop.publish({ ...sharedFields(product), active: false });
      audit(db, 'catalogue.deactivate', id, { shop: true }, nowIso());
      changed();
      return { id, outcome: 'deactivated' };
    },

    delete(id: string): { id: string; outcome: 'deleted' | 'deactivated' } {
      const result = deleteProduct(db, id);
      audit(
        db,
        `catalogue.${result.outcome === 'deleted' ? 'delete' : 'deactivate'}`,
        id,
        undefined,
        nowIso(),
      );
      changed();
      return result;
    },

    importCsv(csv: string): CsvImportResult {
      const result = importCatalogueCsv(db, csv, deps.currency?.() ?? 'GBP');
      log.info('catalogue imported', {
        created: result.created,
        updated: result.updated,
        refused: result.errors.length,
      });
      if (result.imported > 0) changed();
      return result;
    },

    scan: (barcode: string): ScanResult =>
      resolveScan(db, barcode.trim(), deps.scaleRules?.() ?? []),

    vatRates: (): VatRate[] => listVatRates(db),
    setVatRates(rates: VatRate[]): VatRate[] {
      const saved = setVatRates(db, rates);
      audit(db, 'catalogue.vat-rates', null, { rates: saved }, nowIso());
      changed();
      return saved;
    },

    modifierGroups: (): ModifierGroup[] => listModifierGroups(db),
    upsertModifierGroup(input: ModifierGroupInput): ModifierGroup {
      const group = upsertModifierGroup(db, input);
      audit(
        db,
        input.id ? 'catalogue.group-update' : 'catalogue.group-create',
        group.id,
        { name: group.name },
        nowIso(),
      );
      changed();
      return group;
    },

    exportCsv: (): string => exportCatalogueCsv(db),

    lookupBarcode(barcode: string): Product {
      const code = barcode.trim();
      const product = findProductByBarcode(db, code);
      if (!product) throw new TillError('NOT_FOUND', `No product has barcode ${code}`);
      if (!product.active)
        throw new TillError(
          'NOT_FOUND',
          `${product.name} (barcode ${code}) is switched off in the catalogue`,
        );
      return product;
    },
  };
}
