import { useEffect, useRef, useState } from 'react';
import { useTillStore } from '../../store/store';
import { CheckoutPanel } from '../checkout/CheckoutPanel';
import { AwaitingCardList } from './AwaitingCardList';
import { BasketPanel, sellKeys } from './BasketPanel';
import { CustomAmount } from './CustomAmount';
import { QuickKeys } from './QuickKeys';
import { ScanField } from './ScanField';
import { useSellShortcuts } from './use-sell-shortcuts';

export function SellScreen() {
  const inCheckout = useTillStore((s) => s.checkout !== null);
  const [search, setSearch] = useState('');
  const [category, setCategory] = useState<string | null>(null);
  const scanRef = useRef<HTMLInputElement>(null);
  useSellShortcuts(scanRef);
  useEffect(() => {
    if (!inCheckout) scanRef.current?.focus();
  }, [inCheckout]);

  return (
    <div className="sell">
      <div className="sell-left" inert={inCheckout}>
        <ScanField ref={scanRef} value={search} onChange={setSearch} shortcut={sellKeys.search} />
        <QuickKeys
          search={search}
          category={category}
          onCategory={(c) => {
            setCategory(c);
            setSearch('');
          }}
        />
        <AwaitingCardList />
        <CustomAmount />
      </div>
      <div className="sell-right">{inCheckout ? <CheckoutPanel /> : <BasketPanel />}</div>
    </div>
  );
}
