import { forwardRef, useState } from 'react';
import { Kbd } from '../../components/Money';
import { useTillStore } from '../../store/store';

type Props = { value: string; onChange: (v: string) => void; shortcut: string };

/**
 * One field for product search and barcodes. A keyboard-wedge scanner types digits then Enter:
 * digits + Enter look the barcode up; words filter the keys, and Enter adds the only match.
 */
export const ScanField = forwardRef<HTMLInputElement, Props>(function ScanField(
  { value, onChange, shortcut },
  ref,
) {
  const scan = useTillStore((s) => s.scan);
  const addProduct = useTillStore((s) => s.addProduct);
  const products = useTillStore((s) => s.products);
  const [hint, setHint] = useState<{ for: string; text: string } | null>(null);
  const submit = () => {
    const text = value.trim();
    if (text === '') return;
    if (/^\d+$/.test(text)) {
      void scan(text);
      onChange('');
      return;
    }
    const needle = text.toLowerCase();
    const matches = products.filter((p) => p.name.toLowerCase().includes(needle));
    // One match, or one whose whole name was typed ("Latte" among "Chai Latte"…): add it.
    const exact = matches.filter((p) => p.name.toLowerCase() === needle);
    const pick = matches.length === 1 ? matches[0] : exact.length === 1 ? exact[0] : undefined;
    if (pick) {
      addProduct(pick);
      onChange('');
      return;
    }
    // Otherwise Enter says why nothing was added and what to do.
    setHint({
      for: value,
      text:
        matches.length === 0
          ? `No product matches "${text}". Check the spelling, or use a custom amount.`
          : `${matches.length} products match "${text}": tap one, or type more of the name.`,
    });
  };
  return (
    <form
      className="scan-field"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <label className="inline-label">
        <span>
          Search or scan barcode <Kbd keys={shortcut} />
        </span>
        <input
          ref={ref}
          type="search"
          autoComplete="off"
          placeholder="Type a product name, or scan"
          aria-keyshortcuts={shortcut}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') onChange('');
          }}
        />
      </label>
      {hint && hint.for === value && (
        <p role="status" className="scan-hint">
          {hint.text}
        </p>
      )}
    </form>
  );
});
