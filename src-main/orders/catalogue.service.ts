import type { Db } from '../db/connection';
import { nowIso } from '../db/connection';
import type { Logger } from '../logging/logger';
import type { EventBus } from '../platform/event-bus';
import { TillError } from '../../src-shared/errors';
import type {
  CatalogueQuery,
  CsvImportResult,
  Product,
  ProductInput,
} from '../../src-shared/domain/catalogue';
import {
  countProducts,
  deleteProduct,
  findProductByBarcode,
  listProducts,
  upsertProduct,
} from './catalogue.repo';
import { importCatalogueCsv } from './csv-import';
import { audit } from './orders.mutations';

export type CatalogueService = ReturnType<typeof createCatalogueService>;

export function createCatalogueService(deps: { db: Db; logger: Logger; bus: EventBus }) {
  const { db, bus } = deps;
  const log = deps.logger.child('catalogue');
  const changed = () => bus.emit('catalogue:changed', { count: countProducts(db) });

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
      const result = importCatalogueCsv(db, csv);
      log.info('catalogue imported', {
        created: result.created,
        updated: result.updated,
        refused: result.errors.length,
      });
      if (result.imported > 0) changed();
      return result;
    },

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
