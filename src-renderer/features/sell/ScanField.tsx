import { forwardRef } from 'react';
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
  const submit = () => {
    const text = value.trim();
    if (text === '') return;
    if (/^\d+$/.test(text)) {
      void scan(text);
      onChange('');
      return;
    }
    const matches = products.filter((p) => p.name.toLowerCase().includes(text.toLowerCase()));
    if (matches.length === 1 && matches[0]) {
      addProduct(matches[0]);
      onChange('');
    }
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
    </form>
  );
});
