import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import {
  barcodeProblem,
  vatRatesBp,
  type CsvImportResult,
  type Product,
  type ProductInput,
} from '../../../src-shared/domain/catalogue';
import { useMoney } from '../../components/Money';
import { vatLabel } from '../../../src-shared/domain/pricing';
import { parseAmount } from '../../lib/input';
import { useTillStore } from '../../store/store';

type Draft = {
  id?: string;
  name: string;
  category: string;
  price: string;
  vatRateBp: number;
  barcode: string;
  shortcut: string;
  active: boolean;
};
const empty: Draft = {
  name: '',
  category: '',
  price: '',
  vatRateBp: 2000,
  barcode: '',
  shortcut: '',
  active: true,
};
const toDraft = (p: Product): Draft => ({
  id: p.id,
  name: p.name,
  category: p.category,
  price: (p.priceMinor / 100).toFixed(2),
  vatRateBp: p.vatRateBp,
  barcode: p.barcode ?? '',
  shortcut: p.shortcut ?? '',
  active: p.active,
});

function toInput(d: Draft): { ok: true; input: ProductInput } | { ok: false; message: string } {
  if (!d.name.trim()) return { ok: false, message: 'A product needs a name' };
  // Said, not silently cut by the field: the name is printed on receipts as typed.
  if (d.name.trim().length > 80)
    return {
      ok: false,
      message: `A product name has at most 80 characters (this one has ${d.name.trim().length})`,
    };
  if (!d.category.trim()) return { ok: false, message: 'A product needs a category' };
  const price = parseAmount(d.price, { allowZero: true });
  if (!price.ok) return { ok: false, message: `Price: ${price.message}` };
  const barcode = d.barcode.trim();
  const problem = barcode ? barcodeProblem(barcode) : null;
  if (problem) return { ok: false, message: problem };
  return {
    ok: true,
    input: {
      ...(d.id ? { id: d.id } : {}),
      name: d.name.trim(),
      category: d.category.trim(),
      priceMinor: price.value,
      vatRateBp: d.vatRateBp as ProductInput['vatRateBp'],
      barcode: barcode || null,
      shortcut: d.shortcut.trim() || null,
      active: d.active,
    },
  };
}

export function ProductsEditor() {
  const { products, save, remove, importCsv } = useTillStore(
    useShallow((s) => ({
      products: s.allProducts,
      save: s.saveProduct,
      remove: s.deleteProduct,
      importCsv: s.importCsv,
    })),
  );
  const money = useMoney();
  const [draft, setDraft] = useState<Draft>(empty);
  const [error, setError] = useState<string | null>(null);
  const [report, setReport] = useState<CsvImportResult | null>(null);
  const [importError, setImportError] = useState<string | null>(null);

  const submit = async () => {
    const r = toInput(draft);
    if (!r.ok) return setError(r.message);
    const err = await save(r.input);
    setError(err);
    if (!err) setDraft(empty);
  };
  const onFile = async (file: File | undefined) => {
    setReport(null);
    setImportError(null);
    if (!file) return;
    if (file.size > 1_000_000) return setImportError('A catalogue file can be at most 1 MB');
    const result = await importCsv(await file.text());
    if (typeof result === 'string') setImportError(result);
    else setReport(result);
  };

  return (
    <section className="panel wide-panel" aria-label="Products">
      <h2>Products</h2>
      <form
        className="product-form"
        aria-label={draft.id ? 'Edit product' : 'New product'}
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label>
          Name
          <input
            value={draft.name}
            onChange={(e) => setDraft({ ...draft, name: e.target.value })}
          />
        </label>
        <label>
          Category
          <input
            value={draft.category}
            maxLength={40}
            list="categories"
            onChange={(e) => setDraft({ ...draft, category: e.target.value })}
          />
        </label>
        <label>
          Price (£, VAT included)
          <input
            inputMode="decimal"
            value={draft.price}
            onChange={(e) => setDraft({ ...draft, price: e.target.value })}
          />
        </label>
        <label>
          VAT rate
          <select
            value={draft.vatRateBp}
            onChange={(e) => setDraft({ ...draft, vatRateBp: Number(e.target.value) })}
          >
            {vatRatesBp.map((r) => (
              <option key={r} value={r}>
                {vatLabel(r)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Barcode
          <input
            inputMode="numeric"
            value={draft.barcode}
            maxLength={13}
            onChange={(e) => setDraft({ ...draft, barcode: e.target.value })}
          />
        </label>
        <label>
          Shortcut key
          <input
            value={draft.shortcut}
            maxLength={10}
            placeholder="F1"
            onChange={(e) => setDraft({ ...draft, shortcut: e.target.value })}
          />
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={draft.active}
            onChange={(e) => setDraft({ ...draft, active: e.target.checked })}
          />
          On sale
        </label>
        <div className="button-row">
          <button type="submit">{draft.id ? 'Save product' : 'Add product'}</button>
          {draft.id && (
            <button type="button" className="btn-secondary" onClick={() => setDraft(empty)}>
              Cancel edit
            </button>
          )}
        </div>
        <datalist id="categories">
          {[...new Set(products.map((p) => p.category))].map((c) => (
            <option key={c} value={c} />
          ))}
        </datalist>
      </form>
      {error && <p role="alert">{error}</p>}

      <div className="csv-import">
        <label>
          Import products from a CSV file (columns: name, category, price, vat, barcode, shortcut)
          <input
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => void onFile(e.target.files?.[0])}
          />
        </label>
        {importError && <p role="alert">{importError}</p>}
        {report && (
          <div role="status" aria-label="Import result">
            <p>
              <span className={report.imported > 0 ? 'ok-text' : 'bad-text'}>
                Imported {report.imported} product{report.imported === 1 ? '' : 's'} (
                {report.created} new, {report.updated} updated).
              </span>
              {report.errors.length > 0 && (
                <span className="bad-text">
                  {' '}
                  {`${report.errors.length} row${report.errors.length === 1 ? '' : 's'} refused:`}
                </span>
              )}
            </p>
            {report.errors.length > 0 && (
              <ul aria-label="Refused rows">
                {report.errors.map((e) => (
                  <li key={e.row}>
                    Row {e.row}: {e.reason}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </div>

      <div className="table-scroll">
        <table aria-label="Product list">
          <thead>
            <tr>
              <th>Name</th>
              <th>Category</th>
              <th className="num">Price</th>
              <th>VAT</th>
              <th>Barcode</th>
              <th>Key</th>
              <th>
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {products.map((p) => (
              <tr key={p.id} className={p.active ? '' : 'muted'}>
                <td>
                  {p.name}
                  {!p.active && ' (off)'}
                </td>
                <td>{p.category}</td>
                <td className="num">{money(p.priceMinor)}</td>
                <td>{vatLabel(p.vatRateBp)}</td>
                <td>{p.barcode ?? ''}</td>
                <td>{p.shortcut ?? ''}</td>
                <td className="row-actions">
                  <button
                    type="button"
                    className="btn-small btn-secondary"
                    aria-label={`Edit ${p.name}`}
                    onClick={() => setDraft(toDraft(p))}
                  >
                    Edit
                  </button>
                  <button
                    type="button"
                    className="btn-small btn-secondary btn-danger-outline"
                    aria-label={`Delete ${p.name}`}
                    onClick={() => void remove(p.id).then(setError)}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
