import { currencySymbol, formatMoney } from '../../src-shared/money';
import { useTillStore } from '../store/store';

export function useMoney(): (minor: number) => string {
  const currency = useTillStore((s) => s.info?.currency ?? 'GBP');
  return (minor) => formatMoney(minor, currency);
}

export function Kbd({ keys }: { keys: string | null | undefined }) {
  if (!keys) return null;
  return (
    <kbd className="kbd" aria-hidden="true">
      {keys}
    </kbd>
  );
}

/** The till's currency sign (£ or €), for amount labels and inputs. */
export function useCurrencySymbol(): string {
  return currencySymbol(useTillStore((s) => s.info?.currency ?? 'GBP'));
}

/** The till's currency sign inside a label: "Amount (€)" in a euro till. */
export function CurrencySign() {
  return <>{useCurrencySymbol()}</>;
}
