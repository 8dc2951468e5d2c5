import { formatMoney } from '../../src-shared/money';
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
