import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import {
  barcodeProblem,
  vatRateLabel,
  type CsvImportResult,
  type Product,
  type ProductInput,
  type VatRate,
} from '../../../src-shared/domain/catalogue';
import { CurrencySign, useMoney } from '../../components/Money';
import { parseAmount } from '../../lib/input';
import type { CurrencyCode } from '../../../src-shared/money';
import { useTillStore } from '../../store/store';
import { CatalogueExtras } from './CatalogueExtras';

type VariantDraft = { id?: string; name: string; price: string; barcode: string; sku: string };
type Draft = {
  id?: string;
  name: string;
  category: string;
  price: string;
  vatRateBp: number;
  /** '' = the same rate eaten in. */
  eatInVatRateBp: string;
  soldBy: 'unit' | 'weight';
  plu: string;
  sku: string;
  barcode: string;
  shortcut: string;
  active: boolean;
  variants: VariantDraft[];
  groupIds: string[];
};
const emptyDraft = (rates: readonly VatRate[]): Draft => ({
  name: '',
  category: '',
  price: '',
  vatRateBp: rates[0]?.rateBp ?? 2000,
  eatInVatRateBp: '',
  soldBy: 'unit',
  plu: '',
  sku: '',
  barcode: '',
  shortcut: '',
  active: true,
  variants: [],
  groupIds: [],
});
const major = (minor: number) => (minor / 100).toFixed(2);
const toDraft = (p: Product): Draft => ({
  id: p.id,
  name: p.name,
  category: p.category,
  price: major(p.priceMinor),
  vatRateBp: p.vatRateBp,
  eatInVatRateBp: p.eatInVatRateBp === null ? '' : String(p.eatInVatRateBp),
  soldBy: p.soldBy,
  plu: p.plu ?? '',
  sku: p.sku ?? '',
  barcode: p.barcode ?? '',
  shortcut: p.shortcut ?? '',
  active: p.active,
  variants: p.variants.map((v) => ({
    id: v.id,
    name: v.name,
    price: major(v.priceMinor),
    barcode: v.barcode ?? '',
    sku: v.sku ?? '',
  })),
  groupIds: p.modifierGroups.map((g) => g.id),
});

function toInput(
  d: Draft,
  currency: CurrencyCode,
): { ok: true; input: ProductInput } | { ok: false; message: string } {
  if (!d.name.trim()) return { ok: false, message: 'A product needs a name' };
  // Said, not silently cut by the field: the name is printed on receipts as typed.
  if (d.name.trim().length > 80)
    return {
      ok: false,
      message: `A product name has at most 80 characters (this one has ${d.name.trim().length})`,
    };
  if (!d.category.trim()) return { ok: false, message: 'A product needs a category' };
  const price = parseAmount(d.price, { allowZero: true, currency });
  if (!price.ok) return { ok: false, message: `Price: ${price.message}` };
  const barcode = d.barcode.trim();
  const problem = barcode ? barcodeProblem(barcode) : null;
  if (problem) return { ok: false, message: problem };
  const plu = d.plu.trim();
  if (plu && !/^\d{5}$/.test(plu))
    return { ok: false, message: 'A scale item code (PLU) is 5 digits, like 00123' };
  if (d.soldBy === 'weight' && !plu)
    return { ok: false, message: 'A product sold by weight needs the scale item code (PLU)' };
  const variants: NonNullable<ProductInput['variants']> = [];
  for (const v of d.variants) {
    if (!v.name.trim()) return { ok: false, message: 'Each variant needs a name' };
    const vp = parseAmount(v.price, { allowZero: true, currency });
    if (!vp.ok) return { ok: false, message: `Price of ${v.name}: ${vp.message}` };
    const vb = v.barcode.trim();
    const vbProblem = vb ? barcodeProblem(vb) : null;
    if (vbProblem) return { ok: false, message: `${v.name}: ${vbProblem}` };
    variants.push({
      ...(v.id ? { id: v.id } : {}),
      name: v.name.trim(),
      priceMinor: vp.value,
      barcode: vb || null,
      sku: v.sku.trim() || null,
    });
  }
  return {
    ok: true,
    input: {
      ...(d.id ? { id: d.id } : {}),
      name: d.name.trim(),
      category: d.category.trim(),
      priceMinor: price.value,
      vatRateBp: d.vatRateBp,
      eatInVatRateBp: d.eatInVatRateBp === '' ? null : Number(d.eatInVatRateBp),
      soldBy: d.soldBy,
      plu: plu || null,
      sku: d.sku.trim() || null,
      barcode: barcode || null,
      shortcut: d.shortcut.trim() || null,
      active: d.active,
      variants,
      modifierGroupIds: d.groupIds,
    },
  };
}

export function ProductsEditor() {
  const { products, save, remove, importCsv, exportCsv, rates, groups } = useTillStore(
    useShallow((s) => ({
      products: s.allProducts,
      save: s.saveProduct,
      remove: s.deleteProduct,
      importCsv: s.importCsv,
      exportCsv: s.exportCsv,
      rates: s.vatRates,
      groups: s.modifierGroups,
    })),
  );
  const money = useMoney();
  const currency = useTillStore((s) => s.info?.currency ?? 'GBP');
  const [draft, setDraft] = useState<Draft>(() => emptyDraft(rates));
  const [error, setError] = useState<string | null>(null);
  const [report, setReport] = useState<CsvImportResult | null>(null);
  const [importError, setImportError] = useState<string | null>(null);
  const setVariant = (i: number, patch: Partial<VariantDraft>) =>
    setDraft({
      ...draft,
      variants: draft.variants.map((v, j) => (j === i ? { ...v, ...patch } : v)),
    });

  const submit = async () => {
    const r = toInput(draft, currency);
    if (!r.ok) return setError(r.message);
    const err = await save(r.input);
    setError(err);
    if (!err) setDraft(emptyDraft(rates));
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
  const onExport = async () => {
    const r = await exportCsv();
    if (typeof r === 'string') return setImportError(r);
    const url = URL.createObjectURL(new Blob([r.csv], { type: 'text/csv' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'catalogue.csv';
    a.click();
    URL.revokeObjectURL(url);
  };
  const rateOptions = rates.map((r) => (
    <option key={r.rateBp} value={r.rateBp}>
      {vatRateLabel(r.rateBp, rates)}
    </option>
  ));

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
          {draft.soldBy === 'weight' ? (
            <>
              Price per kg (<CurrencySign />, VAT included)
            </>
          ) : (
            <>
              Price (<CurrencySign />, VAT included)
            </>
          )}
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
            {rateOptions}
          </select>
        </label>
        <label>
          VAT rate eaten in
          <select
            value={draft.eatInVatRateBp}
            onChange={(e) => setDraft({ ...draft, eatInVatRateBp: e.target.value })}
          >
            <option value="">The same</option>
            {rateOptions}
          </select>
        </label>
        <label>
          Sold by
          <select
            value={draft.soldBy}
            onChange={(e) => setDraft({ ...draft, soldBy: e.target.value as 'unit' | 'weight' })}
          >
            <option value="unit">Item</option>
            <option value="weight">Weight (scale label)</option>
          </select>
        </label>
        <label>
          Scale item code (PLU)
          <input
            inputMode="numeric"
            value={draft.plu}
            maxLength={5}
            placeholder="00123"
            onChange={(e) => setDraft({ ...draft, plu: e.target.value })}
          />
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
          SKU
          <input
            value={draft.sku}
            maxLength={40}
            onChange={(e) => setDraft({ ...draft, sku: e.target.value })}
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
        <fieldset className="variants-edit" aria-label="Variants">
          <legend>Variants (sizes): each with its own price, barcode and SKU</legend>
          {draft.variants.map((v, i) => (
            <div key={v.id ?? `new-${i}`} className="variant-row">
              <input
                aria-label={`Variant ${i + 1} name`}
                placeholder="Large"
                value={v.name}
                maxLength={40}
                onChange={(e) => setVariant(i, { name: e.target.value })}
              />
              <input
                aria-label={`Variant ${i + 1} price`}
                inputMode="decimal"
                placeholder="0.00"
                value={v.price}
                onChange={(e) => setVariant(i, { price: e.target.value })}
              />
              <input
                aria-label={`Variant ${i + 1} barcode`}
                inputMode="numeric"
                placeholder="Barcode"
                maxLength={13}
                value={v.barcode}
                onChange={(e) => setVariant(i, { barcode: e.target.value })}
              />
              <input
                aria-label={`Variant ${i + 1} SKU`}
                placeholder="SKU"
                maxLength={40}
                value={v.sku}
                onChange={(e) => setVariant(i, { sku: e.target.value })}
              />
              <button
                type="button"
                className="btn-small btn-danger"
                aria-label={`Remove variant ${v.name || i + 1}`}
                onClick={() =>
                  setDraft({ ...draft, variants: draft.variants.filter((_, j) => j !== i) })
                }
              >
                ✕
              </button>
            </div>
          ))}
          <button
            type="button"
            className="btn-small btn-secondary"
            onClick={() =>
              setDraft({
                ...draft,
                variants: [...draft.variants, { name: '', price: '', barcode: '', sku: '' }],
              })
            }
          >
            New variant
          </button>
        </fieldset>
        {groups.length > 0 && (
          <fieldset className="groups-edit" aria-label="Modifier groups">
            <legend>Modifier groups offered with it</legend>
            {groups.map((g) => (
              <label key={g.id} className="check">
                <input
                  type="checkbox"
                  checked={draft.groupIds.includes(g.id)}
                  onChange={(e) =>
                    setDraft({
                      ...draft,
                      groupIds: e.target.checked
                        ? [...draft.groupIds, g.id]
                        : draft.groupIds.filter((x) => x !== g.id),
                    })
                  }
                />
                {g.name}
              </label>
            ))}
          </fieldset>
        )}
        <div className="button-row">
          <button type="submit">{draft.id ? 'Save product' : 'Add product'}</button>
          {draft.id && (
            <button
              type="button"
              className="btn-secondary"
              onClick={() => setDraft(emptyDraft(rates))}
            >
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
          Import products from a CSV file (columns: kind, name, category, price, vat, eat_in_vat,
          sold_by, plu, sku, barcode, shortcut, parent, min, max, groups; see the export)
          <input
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => void onFile(e.target.files?.[0])}
          />
        </label>
        <button type="button" className="btn-secondary" onClick={() => void onExport()}>
          Export catalogue to CSV
        </button>
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
              <th>Variants and options</th>
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
                <td className="num">
                  {money(p.priceMinor)}
                  {p.soldBy === 'weight' ? '/kg' : ''}
                </td>
                <td>
                  {vatRateLabel(p.vatRateBp, rates)}
                  {p.eatInVatRateBp !== null &&
                    ` (eaten in: ${vatRateLabel(p.eatInVatRateBp, rates)})`}
                </td>
                <td>
                  {[
                    p.variants.map((v) => `${v.name} ${money(v.priceMinor)}`).join(', '),
                    p.modifierGroups.map((g) => g.name).join(', '),
                    p.plu ? `PLU ${p.plu}` : '',
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </td>
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
      <CatalogueExtras />
    </section>
  );
}
