/**
 * The port through which a till joined to a shop edits the shop's catalogue instead of its own
 * (docs/SHOP-DATABASE.md). The shop feature implements it; the catalogue service only knows this.
 */
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
};
