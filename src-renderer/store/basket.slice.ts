import type { StateCreator } from 'zustand';
import type { TillApi } from '../../src-shared/contract';
import type { Product } from '../../src-shared/domain/catalogue';
import type { Basket, BasketLine, Discount, OrderSummary } from '../../src-shared/domain/orders';
import { MAX_BASKET_LINES, MAX_QUANTITY } from '../../src-shared/domain/orders';
import { formatMoney } from '../../src-shared/money';
import {
  discountAmount,
  lineDiscountProblem,
  previewBasket,
  type LineToPrice,
} from '../../src-shared/domain/pricing';
import {
  lineFromProduct,
  missingChoice,
  type LineChoice,
} from '../../src-shared/domain/basket-lines';
import type { TillState } from './store';

export type BasketItem = {
  key: string;
  productId: string | null;
  name: string;
  unitPriceMinor: number;
  vatRateBp: number;
  quantity: number;
  discount: Discount | null;
  /** The catalogue product as it was when added (custom lines: null). */
  product?: Product | null;
  variantId?: string | null;
  modifierIds?: string[];
  scale?: LineChoice['scale'];
};

/** Choosing a variant and modifiers for a product, before it is added (or to change a line). */
export type Choosing = {
  product: Product;
  /** The line being changed; absent for a new line. */
  lineKey?: string;
  variantId: string | null;
  modifierIds: string[];
};

/**
 * The basket as lines to price on screen: catalogue lines through the same builder the core's
 * figures are checked against (`lineFromProduct`), custom lines as typed.
 */
export function basketPreviewLines(items: readonly BasketItem[], eatIn: boolean): LineToPrice[] {
  return items.map((i) =>
    i.product
      ? lineFromProduct(
          i.product,
          {
            variantId: i.variantId,
            modifierIds: i.modifierIds,
            quantity: i.quantity,
            discount: i.discount,
            scale: i.scale,
          },
          eatIn,
        )
      : i,
  );
}

const sameChoice = (a: BasketItem, b: Omit<BasketItem, 'key'>) =>
  a.productId !== null &&
  a.productId === b.productId &&
  (a.variantId ?? null) === (b.variantId ?? null) &&
  [...(a.modifierIds ?? [])].sort().join() === [...(b.modifierIds ?? [])].sort().join() &&
  !a.scale &&
  !b.scale;

export type BasketMessage = { kind: 'error' | 'ok'; text: string };

export type BasketSlice = {
  items: BasketItem[];
  basketDiscount: Discount | null;
  basketMessage: BasketMessage | null;
  /**
   * The order this basket already is (it went to checkout and came back, or was resumed from
   * parked): checkout and park update that order, keeping its reference; Clear voids it.
   */
  basketOrderId: string | null;
  parked: OrderSummary[];
  /** Eaten in: products with an eat-in VAT rate use it. */
  eatIn: boolean;
  setEatIn: (eatIn: boolean) => void;
  /** The variant and modifier chooser, when open. */
  choosing: Choosing | null;
  /** Adds a product; one with variants or modifier groups opens the chooser first. */
  addProduct: (product: Product, choice?: Partial<LineChoice>) => void;
  /** Opens the chooser on a basket line, to change its variant and modifiers. */
  editOptions: (key: string) => void;
  /** Sets the chooser's selection (the dialog's taps). */
  setChoosing: (choosing: Choosing | null) => void;
  /** Adds (or changes the line) with the chooser's selection; a plain-words reason when not possible. */
  confirmChoice: () => string | null;
  addCustom: (line: { name: string; unitPriceMinor: number; vatRateBp: number }) => string | null;
  scan: (code: string) => Promise<void>;
  changeQuantity: (key: string, delta: number) => void;
  setQuantity: (key: string, quantity: number) => string | null;
  removeLine: (key: string) => void;
  setLineDiscount: (key: string, discount: Discount | null) => string | null;
  setBasketDiscount: (discount: Discount | null) => string | null;
  clearBasket: () => void;
  parkBasket: () => Promise<void>;
  loadParked: () => Promise<void>;
  resumeParked: (orderId: string) => Promise<void>;
  /** The basket as the contract wants it, or a plain-words reason it cannot be sent. */
  basketForCore: () => { ok: true; basket: Basket } | { ok: false; message: string };
};

let nextKey = 1;
const newKey = () => `line-${nextKey++}`;

export const createBasketSlice =
  (till: TillApi): StateCreator<TillState, [], [], BasketSlice> =>
  (set, get) => {
    const money = (m: number) => formatMoney(m, get().info?.currency ?? 'GBP');
    const locked = () => {
      if (get().checkout) {
        set({
          basketMessage: {
            kind: 'error',
            text: 'Finish or cancel the payment before changing the basket',
          },
        });
        return true;
      }
      return false;
    };
    const addItem = (item: Omit<BasketItem, 'key'>, mergeByProduct: boolean) => {
      const items = get().items;
      const same = mergeByProduct
        ? items.find((i) => sameChoice(i, item) && !i.discount)
        : undefined;
      if (same) {
        if (same.quantity >= MAX_QUANTITY) {
          set({
            basketMessage: { kind: 'error', text: `Quantity cannot be more than ${MAX_QUANTITY}` },
          });
          return;
        }
        set({
          items: items.map((i) => (i === same ? { ...i, quantity: i.quantity + 1 } : i)),
          basketMessage: { kind: 'ok', text: `Added ${item.name}` },
        });
        return;
      }
      if (items.length >= MAX_BASKET_LINES) {
        set({
          basketMessage: { kind: 'error', text: `A basket has at most ${MAX_BASKET_LINES} lines` },
        });
        return;
      }
      set({
        items: [...items, { ...item, key: newKey() }],
        basketMessage: { kind: 'ok', text: `Added ${item.name}` },
      });
    };

    return {
      items: [],
      basketDiscount: null,
      basketMessage: null,
      basketOrderId: null,
      parked: [],
      eatIn: false,
      choosing: null,
      setEatIn(eatIn) {
        if (locked()) return;
        set({
          eatIn,
          basketMessage: { kind: 'ok', text: eatIn ? 'Eating in' : 'Taking away' },
        });
      },
      addProduct(product, choice = {}) {
        if (locked()) return;
        if (product.soldBy === 'weight' && !choice.scale) {
          set({
            basketMessage: {
              kind: 'error',
              text: `${product.name} is sold by weight: scan the label printed by the scale`,
            },
          });
          return;
        }
        const needsVariant = product.variants.length > 0 && !choice.variantId;
        const groups = product.modifierGroups.length > 0 && choice.modifierIds === undefined;
        if (needsVariant || groups) {
          set({
            choosing: {
              product,
              variantId: choice.variantId ?? null,
              modifierIds: choice.modifierIds ? [...choice.modifierIds] : [],
            },
          });
          return;
        }
        const line = lineFromProduct(product, { quantity: 1, ...choice }, false);
        addItem(
          {
            productId: product.id,
            name: line.name,
            unitPriceMinor: line.unitPriceMinor,
            vatRateBp: product.vatRateBp,
            quantity: 1,
            discount: null,
            product,
            variantId: choice.variantId ?? null,
            modifierIds: choice.modifierIds ? [...choice.modifierIds] : [],
            scale: choice.scale ?? null,
          },
          true,
        );
      },
      editOptions(key) {
        if (locked()) return;
        const item = get().items.find((i) => i.key === key);
        if (!item?.product) return;
        set({
          choosing: {
            product: item.product,
            lineKey: key,
            variantId: item.variantId ?? null,
            modifierIds: [...(item.modifierIds ?? [])],
          },
        });
      },
      setChoosing(choosing) {
        set({ choosing });
      },
      confirmChoice() {
        const c = get().choosing;
        if (!c) return null;
        if (c.product.variants.length > 0 && !c.variantId)
          return `Choose ${c.product.variants.map((v) => v.name).join(', ')}`;
        const missing = missingChoice(c.product, c.modifierIds);
        if (missing) return missing;
        if (c.lineKey) {
          const line = lineFromProduct(
            c.product,
            { quantity: 1, variantId: c.variantId, modifierIds: c.modifierIds },
            false,
          );
          set({
            choosing: null,
            items: get().items.map((i) =>
              i.key === c.lineKey
                ? {
                    ...i,
                    name: line.name,
                    unitPriceMinor: line.unitPriceMinor,
                    variantId: c.variantId,
                    modifierIds: [...c.modifierIds],
                  }
                : i,
            ),
            basketMessage: { kind: 'ok', text: `Changed ${line.name}` },
          });
          return null;
        }
        set({ choosing: null });
        get().addProduct(c.product, { variantId: c.variantId, modifierIds: c.modifierIds });
        return null;
      },
      addCustom(line) {
        if (locked()) return 'Finish or cancel the payment before changing the basket';
        addItem({ productId: null, ...line, quantity: 1, discount: null }, false);
        return null;
      },
      async scan(code) {
        const barcode = code.trim();
        if (barcode === '') return;
        if (!/^\d+$/.test(barcode)) {
          set({
            basketMessage: { kind: 'error', text: `“${barcode}” is not a barcode (digits only)` },
          });
          return;
        }
        const r = await till['catalogue:scan']({ barcode });
        if (r.ok) {
          const { product, variantId, scale } = r.value;
          // A variant's own barcode names the variant: only its modifiers are left to choose.
          get().addProduct(product, {
            ...(variantId ? { variantId } : {}),
            ...(scale ? { scale, modifierIds: [] } : {}),
          });
        } else
          set({
            basketMessage: {
              kind: 'error',
              text:
                r.error.code === 'NOT_FOUND'
                  ? `Unknown barcode ${barcode}: no product has this code`
                  : r.error.message,
            },
          });
      },
      changeQuantity(key, delta) {
        const item = get().items.find((i) => i.key === key);
        if (!item) return;
        const q = item.quantity + delta;
        if (q < 1) {
          get().removeLine(key);
          return;
        }
        get().setQuantity(key, q);
      },
      setQuantity(key, quantity) {
        if (locked()) return 'Finish or cancel the payment before changing the basket';
        if (!Number.isInteger(quantity) || quantity < 1)
          return 'Quantity must be a whole number, at least 1';
        if (quantity > MAX_QUANTITY) return `Quantity cannot be more than ${MAX_QUANTITY}`;
        const item = get().items.find((i) => i.key === key);
        if (!item) return null;
        const [line] = basketPreviewLines([item], get().eatIn);
        const unit = line
          ? line.unitPriceMinor + (line.modifiers ?? []).reduce((a, m) => a + m.priceMinor, 0)
          : item.unitPriceMinor;
        if (item.discount?.kind === 'amount' && item.discount.amountMinor > unit * quantity) {
          return `The discount on ${item.name} would be more than its price; change the discount first`;
        }
        set({
          items: get().items.map((i) => (i.key === key ? { ...i, quantity } : i)),
          basketMessage: null,
        });
        return null;
      },
      removeLine(key) {
        if (locked()) return;
        const item = get().items.find((i) => i.key === key);
        set({
          items: get().items.filter((i) => i.key !== key),
          basketMessage: item ? { kind: 'ok', text: `Removed ${item.name}` } : null,
        });
      },
      setLineDiscount(key, discount) {
        if (locked()) return 'Finish or cancel the payment before changing the basket';
        const item = get().items.find((i) => i.key === key);
        if (!item) return null;
        if (discount) {
          const [line] = basketPreviewLines([item], get().eatIn);
          const problem = lineDiscountProblem(
            line ?? item,
            discount,
            get().info?.currency ?? 'GBP',
          );
          if (problem) return problem;
        }
        set({
          items: get().items.map((i) => (i.key === key ? { ...i, discount } : i)),
          basketMessage: null,
        });
        return null;
      },
      setBasketDiscount(discount) {
        if (locked()) return 'Finish or cancel the payment before changing the basket';
        if (discount) {
          const totals = previewBasket(basketPreviewLines(get().items, get().eatIn), null);
          const off = discountAmount(discount, totals.totalMinor);
          if (get().items.length === 0) return 'The basket is empty';
          if (off > totals.totalMinor)
            return `The discount (${money(off)}) is more than the basket total (${money(totals.totalMinor)})`;
        }
        set({ basketDiscount: discount, basketMessage: null });
        return null;
      },
      clearBasket() {
        if (locked()) return;
        const orderId = get().basketOrderId;
        set({
          items: [],
          basketDiscount: null,
          basketMessage: null,
          basketOrderId: null,
          eatIn: false,
        });
        // The basket had become an order: clearing it is a sale that did not happen, on record.
        if (orderId)
          void till['orders:void']({ orderId, reason: 'Basket cleared before payment' }).then(
            (r) => {
              if (!r.ok && r.error.code !== 'ORDER_STATE')
                set({ basketMessage: { kind: 'error', text: r.error.message } });
            },
          );
      },
      async parkBasket() {
        if (locked()) return;
        const b = get().basketForCore();
        if (!b.ok) {
          set({ basketMessage: { kind: 'error', text: b.message } });
          return;
        }
        const orderId = get().basketOrderId;
        const r = await till['orders:park']({ basket: b.basket, ...(orderId ? { orderId } : {}) });
        if (!r.ok) {
          set({ basketMessage: { kind: 'error', text: r.error.message } });
          return;
        }
        set({
          items: [],
          basketDiscount: null,
          basketOrderId: null,
          eatIn: false,
          basketMessage: { kind: 'ok', text: `Basket parked as ${r.value.reference}` },
        });
        await get().loadParked();
      },
      async loadParked() {
        const r = await till['orders:list-parked']();
        if (r.ok) set({ parked: r.value });
      },
      async resumeParked(orderId) {
        if (locked()) return;
        if (get().items.length > 0) {
          set({
            basketMessage: {
              kind: 'error',
              text: 'Park or clear the current basket before resuming another',
            },
          });
          return;
        }
        const r = await till['orders:resume']({ orderId });
        if (!r.ok) {
          set({ basketMessage: { kind: 'error', text: r.error.message } });
          return;
        }
        if (r.value.kind === 'basket') {
          const { basket, lines, fromReference, orderId: resumedId } = r.value;
          const products = get().products;
          const items: BasketItem[] = lines.map((l) => {
            const product = l.productId
              ? (products.find((p) => p.id === l.productId) ?? null)
              : null;
            const code = l.scaleBarcode ?? null;
            const scale: LineChoice['scale'] = !code
              ? null
              : l.weightGrams
                ? {
                    kind: 'weight',
                    code,
                    grams: l.weightGrams,
                    pricePerKgMinor: l.pricePerKgMinor ?? 0,
                    priceMinor: l.unitPriceMinor,
                  }
                : { kind: 'price', code, priceMinor: l.unitPriceMinor };
            return {
              key: newKey(),
              productId: l.productId,
              name: l.name,
              unitPriceMinor: l.unitPriceMinor,
              vatRateBp: l.vatRateBp,
              quantity: l.quantity,
              discount: l.lineDiscount,
              product,
              variantId: l.variantId ?? null,
              modifierIds: (l.modifiers ?? []).flatMap((m) => (m.modifierId ? [m.modifierId] : [])),
              scale,
            };
          });
          set({
            eatIn: basket.eatIn === true,
            items,
            basketDiscount: basket.discount ?? null,
            basketOrderId: resumedId,
            basketMessage: { kind: 'ok', text: `Resumed ${fromReference}` },
          });
        } else {
          await get().adoptOrder(r.value.order);
        }
        await get().loadParked();
      },
      basketForCore() {
        const { items, basketDiscount, eatIn } = get();
        if (items.length === 0)
          return { ok: false, message: 'The basket is empty: add something before taking payment' };
        const lines: BasketLine[] = items.map((i) =>
          i.productId
            ? {
                kind: 'product',
                productId: i.productId,
                quantity: i.quantity,
                ...(i.variantId ? { variantId: i.variantId } : {}),
                ...(i.modifierIds?.length ? { modifierIds: i.modifierIds } : {}),
                ...(i.scale ? { scaleBarcode: i.scale.code } : {}),
                ...(i.discount ? { discount: i.discount } : {}),
              }
            : {
                kind: 'custom',
                name: i.name,
                unitPriceMinor: i.unitPriceMinor,
                vatRateBp: i.vatRateBp,
                quantity: i.quantity,
                ...(i.discount ? { discount: i.discount } : {}),
              },
        );
        return {
          ok: true,
          basket: {
            lines,
            ...(basketDiscount ? { discount: basketDiscount } : {}),
            ...(eatIn ? { eatIn: true } : {}),
          },
        };
      },
    };
  };
