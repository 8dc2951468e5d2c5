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
  getModifierGroup,
  getProduct,
  groupIdsForShop,
  listModifierGroups,
  listProducts,
  listVatRates,
  modifiersForShop,
  setVatRates,
  upsertModifierGroup,
  upsertProduct,
  variantsForShop,
} from './catalogue.repo';
import { exportCatalogueCsv, importCatalogueCsv } from './csv-import';
import { resolveScan } from './scan';
import { audit } from './orders.mutations';
import type {
  SharedCatalogue,
  SharedModifierGroup,
  SharedProduct,
  SharedVariant,
} from './shared-catalogue';

/** Thrown inside a transaction to roll back a dry run, carrying what it would have saved. */
class DryRun<T> extends Error {
  constructor(readonly value: T) {
    super('dry run');
  }
}

/** What `work` would save, as this till's rules would save it, with nothing saved. */
function dryRun<T>(db: Db, work: () => T): T {
  try {
    db.transaction(() => {
      throw new DryRun(work());
    })();
  } catch (error) {
    if (error instanceof DryRun) return error.value as T;
    throw error;
  }
  throw new Error('a dry run must end in its rollback');
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
  eatInVatRateBp: p.eatInVatRateBp,
  soldBy: p.soldBy,
  plu: p.plu,
  sku: p.sku,
});

/** What the shop's answer left on this till; a row its own rules refused is named, not lost silently. */
function takenFromShop<T>(row: T | null | undefined, name: string): T {
  if (!row)
    throw new TillError(
      'CONFLICT',
      `${name} was saved in the shop but this till could not take it: see Settings → Shop database.`,
    );
  return row;
}

/** A modifier group with every choice it has had here (switched-off ones too), for the shop. */
function sharedGroup(db: Db, g: ModifierGroup): SharedModifierGroup {
  return {
    id: g.id,
    name: g.name,
    minChoices: g.minChoices,
    maxChoices: g.maxChoices,
    modifiers: modifiersForShop(db, g.id),
  };
}

/** The whole product as the shop is sent it: its variants (gone ones switched off) and groups. */
function sharedProduct(db: Db, product: Product, before: readonly SharedVariant[]): SharedProduct {
  const variants: SharedVariant[] = variantsForShop(db, product.id);
  for (const old of before)
    if (!variants.some((v) => v.id === old.id)) variants.push({ ...old, active: false });
  const modifierGroupIds = groupIdsForShop(db, product.id);
  return {
    ...sharedFields(product),
    variants,
    modifierGroupIds,
    groups: modifierGroupIds
      .map((id) => getModifierGroup(db, id))
      .filter((g): g is ModifierGroup => g !== null)
      .map((g) => sharedGroup(db, g)),
  };
}

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
  /** The product as this till's rules would save it (with its variants and groups), saving nothing. */
  const planInShop = (input: ProductInput): SharedProduct => {
    const before = input.id ? variantsForShop(db, input.id) : [];
    return dryRun(db, () => sharedProduct(db, upsertProduct(db, input), before));
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
     * till — so a shop database that cannot be reached leaves both untouched. The whole product
     * goes: eat-in VAT, weight, PLU, SKU, its variants and its modifier groups.
     */
    async upsertInShop(input: ProductInput, shop: SharedCatalogue): Promise<Product> {
      const checked = planInShop(input);
      // The shop's answer is applied to this till's copy by the port, in the same action.
      await shop.publish(checked);
      const product = takenFromShop(getProduct(db, checked.id), checked.name);
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

    /** A joined till's VAT rates are the shop's: checked here, written there, then here. */
    async setVatRatesInShop(rates: VatRate[], shop: SharedCatalogue): Promise<VatRate[]> {
      const checked = dryRun(db, () => setVatRates(db, rates));
      await shop.publishVatRates(checked);
      audit(db, 'catalogue.vat-rates', null, { rates: checked, shop: true }, nowIso());
      changed();
      return listVatRates(db);
    },

    /** A joined till's modifier group is the shop's: checked here, written there, then here. */
    async upsertModifierGroupInShop(
      input: ModifierGroupInput,
      shop: SharedCatalogue,
    ): Promise<ModifierGroup> {
      const checked = dryRun(db, () => sharedGroup(db, upsertModifierGroup(db, input)));
      await shop.publishModifierGroup(checked);
      const group = takenFromShop(getModifierGroup(db, checked.id), checked.name);
      audit(
        db,
        input.id ? 'catalogue.group-update' : 'catalogue.group-create',
        group.id,
        { name: group.name, shop: true },
        nowIso(),
      );
      changed();
      return group;
    },

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
