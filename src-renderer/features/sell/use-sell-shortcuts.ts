import { useEffect, type RefObject } from 'react';
import { useContext } from 'react';
import { StoreContext } from '../../store/store';

const typing = (el: Element | null) =>
  el instanceof HTMLInputElement ||
  el instanceof HTMLTextAreaElement ||
  el instanceof HTMLSelectElement;

/**
 * Keys on the Sell screen: product shortcuts (F1…F12 from the catalogue), Alt+letter for the
 * tender and basket buttons and the search field. Digits typed with nothing focused go to
 * the scan field, so a wedge scanner works whatever the cashier last touched.
 */
export function useSellShortcuts(scanRef: RefObject<HTMLInputElement | null>) {
  const store = useContext(StoreContext);
  useEffect(() => {
    if (!store) return;
    const onKey = (e: KeyboardEvent) => {
      if (document.querySelector('[role="dialog"]')) return;
      const s = store.getState();
      if (e.altKey && !e.ctrlKey && !e.metaKey) {
        const k = e.key.toLowerCase();
        const actions: Record<string, () => void> = {
          // In checkout the card button pays the "amount to pay now" (a split), so Alt+K presses
          // that button — the one showing the Alt+K hint — rather than paying the whole order.
          k: () =>
            s.checkout
              ? document
                  .querySelector<HTMLButtonElement>('.checkout button[aria-keyshortcuts="Alt+K"]')
                  ?.click()
              : void s.payWholeByCard(),
          c: () => void (s.checkout ? undefined : s.beginCheckout()),
          // "Cash, exact": the basket sold for its amount due in one press.
          e: () => void (s.checkout ? undefined : s.sellCash('exact')),
          p: () => void s.parkBasket(),
          x: () => s.clearBasket(),
          s: () => scanRef.current?.focus(),
        };
        const act = actions[k];
        if (act) {
          e.preventDefault();
          act();
        }
        return;
      }
      if (/^F\d{1,2}$/.test(e.key) && !e.altKey && !e.ctrlKey) {
        const product = s.products.find((p) => p.shortcut?.toUpperCase() === e.key.toUpperCase());
        if (product) {
          e.preventDefault();
          s.addProduct(product);
        }
        return;
      }
      if (/^\d$/.test(e.key) && !typing(document.activeElement) && !s.checkout && scanRef.current) {
        scanRef.current.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store, scanRef]);
}
