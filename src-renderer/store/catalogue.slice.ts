import type { StateCreator } from 'zustand';
import type { TillApi } from '../../src-shared/contract';
import type {
  CsvImportResult,
  ModifierGroup,
  ModifierGroupInput,
  Product,
  ProductInput,
  VatRate,
} from '../../src-shared/domain/catalogue';
import { defaultVatRates } from '../../src-shared/domain/catalogue';
import type { TillState } from './store';

export type CatalogueSlice = {
  /** Active products, sorted by category, sort order, name (as the core returns them). */
  products: Product[];
  /** Every product, including switched-off ones, for the Settings editor. */
  allProducts: Product[];
  catalogueError: string | null;
  /** The shop's VAT rates, with names. */
  vatRates: VatRate[];
  modifierGroups: ModifierGroup[];
  loadCatalogue: () => Promise<void>;
  saveVatRates: (rates: VatRate[]) => Promise<string | null>;
  saveModifierGroup: (group: ModifierGroupInput) => Promise<string | null>;
  exportCsv: () => Promise<{ csv: string } | string>;
  saveProduct: (input: ProductInput) => Promise<string | null>;
  deleteProduct: (id: string) => Promise<string | null>;
  importCsv: (csv: string) => Promise<CsvImportResult | string>;
};

export const createCatalogueSlice =
  (till: TillApi): StateCreator<TillState, [], [], CatalogueSlice> =>
  (set, get) => ({
    products: [],
    allProducts: [],
    catalogueError: null,
    vatRates: [...defaultVatRates],
    modifierGroups: [],
    async loadCatalogue() {
      const [active, all, rates, groups] = await Promise.all([
        till['catalogue:list'](),
        till['catalogue:list']({ includeInactive: true }),
        till['catalogue:vat-rates'](),
        till['catalogue:modifier-groups'](),
      ]);
      if (rates.ok) set({ vatRates: rates.value });
      if (groups.ok) set({ modifierGroups: groups.value });
      if (active.ok && all.ok)
        set({ products: active.value, allProducts: all.value, catalogueError: null });
      else
        set({
          catalogueError: (!active.ok ? active.error : !all.ok ? all.error : null)?.message ?? null,
        });
    },
    async saveProduct(input) {
      const r = await get().withApproval((approval) =>
        till['catalogue:upsert']({ ...input, ...(approval ? { approval } : {}) }),
      );
      if (!r.ok) return r.error.message;
      await get().loadCatalogue();
      return null;
    },
    async saveVatRates(rates) {
      const r = await get().withApproval((approval) =>
        till['catalogue:set-vat-rates']({ rates, ...(approval ? { approval } : {}) }),
      );
      if (!r.ok) return r.error.message;
      await get().loadCatalogue();
      return null;
    },
    async saveModifierGroup(group) {
      const r = await get().withApproval((approval) =>
        till['catalogue:upsert-modifier-group']({ ...group, ...(approval ? { approval } : {}) }),
      );
      if (!r.ok) return r.error.message;
      await get().loadCatalogue();
      return null;
    },
    async exportCsv() {
      const r = await till['catalogue:export-csv']();
      return r.ok ? r.value : r.error.message;
    },
    async deleteProduct(id) {
      const r = await till['catalogue:delete']({ id });
      if (!r.ok) return r.error.message;
      await get().loadCatalogue();
      get().say(
        'ok',
        r.value.outcome === 'deleted'
          ? 'Product deleted'
          : 'Product was sold before, so it is switched off instead',
      );
      return null;
    },
    async importCsv(csv) {
      const r = await till['catalogue:import-csv']({ csv });
      if (!r.ok) return r.error.message;
      await get().loadCatalogue();
      return r.value;
    },
  });
