import type { SoldBy, VatRate } from '../../src-shared/domain/catalogue';

/**
 * The port through which a till joined to a shop edits the shop's catalogue instead of its own
 * (docs/SHOP-DATABASE.md). The shop feature implements it; the catalogue service only knows this.
 */
export type SharedVariant = {
  id: string;
  name: string;
  priceMinor: number;
  barcode: string | null;
  sku: string | null;
  position: number;
  /** False: taken off the product (the shop never deletes a variant another till may have sold). */
  active: boolean;
};

export type SharedProduct = {
  id: string;
  name: string;
  category: string;
  priceMinor: number;
  vatRateBp: number;
  barcode: string | null;
  shortcut: string | null;
  sortOrder: number;
  active: boolean;
  eatInVatRateBp?: number | null;
  soldBy?: SoldBy;
  plu?: string | null;
  sku?: string | null;
  /** Every variant the product has had on this till (switched-off ones too); omitted: unchanged. */
  variants?: SharedVariant[];
  /** The groups it offers, in order (any other link is switched off); omitted: unchanged. */
  modifierGroupIds?: string[];
  /** Those groups as this till has them, for a shop that does not have them yet. */
  groups?: SharedModifierGroup[];
};

export type SharedModifier = {
  id: string;
  name: string;
  priceMinor: number;
  vatRateBp: number | null;
  position: number;
  active: boolean;
};

export type SharedModifierGroup = {
  id: string;
  name: string;
  minChoices: number;
  maxChoices: number;
  /** Every choice (switched-off ones too). */
  modifiers: SharedModifier[];
};

export type SharedCatalogue = {
  /** True while this till is joined to a shop: its catalogue is the shop's. */
  joined(): boolean;
  /**
   * Writes the product to the shop database with the manager right (for this one action), then
   * applies it to this till's copy at once. Throws a plain-words TillError, having written
   * nothing anywhere, when the shop database cannot be reached or refuses.
   */
  publish(product: SharedProduct): Promise<void>;
  /** The same for a modifier group with all its choices. */
  publishModifierGroup(group: SharedModifierGroup): Promise<void>;
  /** The same for the shop's whole VAT rate list (rates left out are switched off). */
  publishVatRates(rates: readonly VatRate[]): Promise<void>;
};
