import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import {
  modifierGroupProblem,
  vatRateLabel,
  type ModifierGroup,
} from '../../../src-shared/domain/catalogue';
import { CurrencySign, useMoney } from '../../components/Money';
import { parseAmount } from '../../lib/input';
import type { ScaleBarcodeRule } from '../../../src-shared/domain/scale-barcodes';
import { useTillStore } from '../../store/store';

/** The shop's VAT rates (names and percentages) and its modifier groups, under the products. */
export function CatalogueExtras() {
  return (
    <>
      <VatRatesEditor />
      <ScaleLabelsEditor />
      <ModifierGroupsEditor />
    </>
  );
}

function VatRatesEditor() {
  const { rates, save } = useTillStore(
    useShallow((s) => ({ rates: s.vatRates, save: s.saveVatRates })),
  );
  const [rows, setRows] = useState<{ name: string; pct: string }[] | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const shown = rows ?? rates.map((r) => ({ name: r.name, pct: String(r.rateBp / 100) }));
  const edit = (i: number, patch: Partial<{ name: string; pct: string }>) =>
    setRows(shown.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const submit = async () => {
    const parsed = [];
    for (const r of shown) {
      if (!/^\d{1,3}(\.\d{1,2})?$/.test(r.pct.trim()) || Number(r.pct) > 100)
        return setMessage({
          ok: false,
          text: `"${r.pct}" is not a VAT percentage, like 20 or 13.5`,
        });
      parsed.push({ name: r.name.trim(), rateBp: Math.round(Number(r.pct) * 100) });
    }
    const err = await save(parsed);
    if (err) setMessage({ ok: false, text: err });
    else {
      setRows(null);
      setMessage({ ok: true, text: 'VAT rates saved' });
    }
  };
  return (
    <form
      className="vat-rates-edit"
      aria-label="VAT rates"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h3>VAT rates</h3>
      <p className="muted">
        The rates this shop charges, by name (an EU shop lists its own country&apos;s). A rate still
        used by a product cannot be removed.
      </p>
      {shown.map((r, i) => (
        <div key={i} className="variant-row">
          <input
            aria-label={`VAT rate ${i + 1} name`}
            value={r.name}
            maxLength={40}
            onChange={(e) => edit(i, { name: e.target.value })}
          />
          <input
            aria-label={`VAT rate ${i + 1} percent`}
            inputMode="decimal"
            value={r.pct}
            onChange={(e) => edit(i, { pct: e.target.value })}
          />
          <span aria-hidden="true">%</span>
          <button
            type="button"
            className="btn-small btn-danger"
            aria-label={`Remove VAT rate ${r.name}`}
            onClick={() => setRows(shown.filter((_, j) => j !== i))}
          >
            ✕
          </button>
        </div>
      ))}
      <div className="button-row">
        <button
          type="button"
          className="btn-secondary"
          onClick={() => setRows([...shown, { name: '', pct: '' }])}
        >
          Add VAT rate
        </button>
        <button type="submit">Save VAT rates</button>
      </div>
      {message && (
        <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'ok-text' : 'bad-text'}>
          {message.text}
        </p>
      )}
    </form>
  );
}

/** "21 weight, 22 price" ⇄ the scale-label rules setting. */
export function parseScaleRules(
  text: string,
): { ok: true; rules: ScaleBarcodeRule[] } | { ok: false; message: string } {
  const rules: ScaleBarcodeRule[] = [];
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^(2\d)\s+(weight|price)$/i.exec(part);
    if (!m)
      return {
        ok: false,
        message: `"${part}" is not a prefix rule: write a prefix from 20 to 29 and weight or price, like 21 weight`,
      };
    const prefix = m[1] as string;
    if (rules.some((r) => r.prefix === prefix))
      return { ok: false, message: `Prefix ${prefix} is listed twice` };
    rules.push({ prefix, kind: (m[2] as string).toLowerCase() as ScaleBarcodeRule['kind'] });
  }
  return { ok: true, rules };
}

function ScaleLabelsEditor() {
  const { settings, save } = useTillStore(
    useShallow((s) => ({ settings: s.settings, save: s.saveSettings })),
  );
  const current = (settings?.scaleBarcodes ?? []).map((r) => `${r.prefix} ${r.kind}`).join(', ');
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      className="vat-rates-edit"
      aria-label="Scale labels"
      onSubmit={(e) => {
        e.preventDefault();
        const parsed = parseScaleRules(text ?? current);
        if (!parsed.ok) return setError(parsed.message);
        void save({ scaleBarcodes: parsed.rules }).then((err) => {
          setError(err);
          if (!err) setText(null);
        });
      }}
    >
      <h3>Scale labels</h3>
      <label>
        Barcode prefixes printed by the shop&apos;s scale (each a weight or a price in the code)
        <input
          value={text ?? current}
          placeholder="21 weight, 22 price"
          onChange={(e) => {
            setText(e.target.value);
            setError(null);
          }}
        />
      </label>
      <div className="button-row">
        <button type="submit">Save scale labels</button>
      </div>
      {error && <p role="alert">{error}</p>}
    </form>
  );
}

type ModDraft = { id?: string; name: string; price: string; vat: string };
type GroupDraft = { id?: string; name: string; min: string; max: string; modifiers: ModDraft[] };
const newGroup = (): GroupDraft => ({
  name: '',
  min: '0',
  max: '1',
  modifiers: [{ name: '', price: '0.00', vat: '' }],
});
const toGroupDraft = (g: ModifierGroup): GroupDraft => ({
  id: g.id,
  name: g.name,
  min: String(g.minChoices),
  max: String(g.maxChoices),
  modifiers: g.modifiers.map((m) => ({
    id: m.id,
    name: m.name,
    price: (m.priceMinor / 100).toFixed(2),
    vat: m.vatRateBp === null ? '' : String(m.vatRateBp),
  })),
});

function ModifierGroupsEditor() {
  const { groups, rates, save } = useTillStore(
    useShallow((s) => ({ groups: s.modifierGroups, rates: s.vatRates, save: s.saveModifierGroup })),
  );
  const money = useMoney();
  const currency = useTillStore((s) => s.info?.currency ?? 'GBP');
  const [draft, setDraft] = useState<GroupDraft>(newGroup);
  const [error, setError] = useState<string | null>(null);
  const setMod = (i: number, patch: Partial<ModDraft>) =>
    setDraft({
      ...draft,
      modifiers: draft.modifiers.map((m, j) => (j === i ? { ...m, ...patch } : m)),
    });
  const submit = async () => {
    const min = Number(draft.min);
    const max = Number(draft.max);
    if (!Number.isInteger(min) || !Number.isInteger(max))
      return setError('Minimum and maximum choices are whole numbers');
    const modifiers = [];
    for (const m of draft.modifiers) {
      const p = parseAmount(m.price, { allowZero: true, currency });
      if (!p.ok) return setError(`Price of ${m.name || 'a choice'}: ${p.message}`);
      modifiers.push({
        ...(m.id ? { id: m.id } : {}),
        name: m.name.trim(),
        priceMinor: p.value,
        vatRateBp: m.vat === '' ? null : Number(m.vat),
      });
    }
    const group = {
      ...(draft.id ? { id: draft.id } : {}),
      name: draft.name.trim(),
      minChoices: min,
      maxChoices: max,
      modifiers,
    };
    const problem = modifierGroupProblem(group);
    if (problem) return setError(problem);
    const err = await save(group);
    setError(err);
    if (!err) setDraft(newGroup());
  };
  return (
    <div className="groups-editor">
      <h3>Modifier groups</h3>
      <ul aria-label="Modifier group list" className="group-list">
        {groups.map((g) => (
          <li key={g.id}>
            <strong>{g.name}</strong>{' '}
            <span className="muted">
              {g.minChoices > 0 ? `required, choose ${g.minChoices}` : 'optional'}
              {` to ${g.maxChoices}`}:{' '}
              {g.modifiers
                .map((m) => `${m.name} ${m.priceMinor > 0 ? `+${money(m.priceMinor)}` : ''}`.trim())
                .join(', ')}
            </span>{' '}
            <button
              type="button"
              className="btn-small btn-secondary"
              aria-label={`Edit group ${g.name}`}
              onClick={() => setDraft(toGroupDraft(g))}
            >
              Edit
            </button>
          </li>
        ))}
      </ul>
      <form
        aria-label={draft.id ? 'Edit modifier group' : 'New modifier group'}
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <div className="variant-row">
          <label>
            Group name
            <input
              value={draft.name}
              maxLength={40}
              placeholder="Milk"
              onChange={(e) => setDraft({ ...draft, name: e.target.value })}
            />
          </label>
          <label>
            Minimum choices (0 = optional)
            <input
              inputMode="numeric"
              value={draft.min}
              onChange={(e) => setDraft({ ...draft, min: e.target.value })}
            />
          </label>
          <label>
            Maximum choices
            <input
              inputMode="numeric"
              value={draft.max}
              onChange={(e) => setDraft({ ...draft, max: e.target.value })}
            />
          </label>
        </div>
        {draft.modifiers.map((m, i) => (
          <div key={m.id ?? `new-${i}`} className="variant-row">
            <input
              aria-label={`Choice ${i + 1} name`}
              placeholder="Oat milk"
              value={m.name}
              maxLength={40}
              onChange={(e) => setMod(i, { name: e.target.value })}
            />
            <label>
              + <CurrencySign />
              <input
                aria-label={`Choice ${i + 1} price`}
                inputMode="decimal"
                value={m.price}
                onChange={(e) => setMod(i, { price: e.target.value })}
              />
            </label>
            <select
              aria-label={`Choice ${i + 1} VAT rate`}
              value={m.vat}
              onChange={(e) => setMod(i, { vat: e.target.value })}
            >
              <option value="">VAT as the product</option>
              {rates.map((r) => (
                <option key={r.rateBp} value={r.rateBp}>
                  {vatRateLabel(r.rateBp, rates)}
                </option>
              ))}
            </select>
            <button
              type="button"
              className="btn-small btn-danger"
              aria-label={`Remove choice ${m.name || i + 1}`}
              onClick={() =>
                setDraft({ ...draft, modifiers: draft.modifiers.filter((_, j) => j !== i) })
              }
            >
              ✕
            </button>
          </div>
        ))}
        <div className="button-row">
          <button
            type="button"
            className="btn-secondary"
            onClick={() =>
              setDraft({
                ...draft,
                modifiers: [...draft.modifiers, { name: '', price: '0.00', vat: '' }],
              })
            }
          >
            Add choice
          </button>
          <button type="submit">{draft.id ? 'Save group' : 'Add group'}</button>
          {draft.id && (
            <button type="button" className="btn-secondary" onClick={() => setDraft(newGroup())}>
              Cancel edit
            </button>
          )}
        </div>
        {error && <p role="alert">{error}</p>}
      </form>
    </div>
  );
}
