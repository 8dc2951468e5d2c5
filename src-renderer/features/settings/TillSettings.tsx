import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Settings } from '../../../src-shared/contract';
import { statusWords } from '../../store/terminals.slice';
import { useTillStore } from '../../store/store';
import { cashRoundingLabels } from '../../../src-shared/domain/cash-rounding';

const printerWords = {
  ready: 'ready',
  offline: 'offline',
  none: 'none',
  unknown: 'not checked yet (it is checked with the next print)',
} as const;

/** Default terminal, printer, and what the receipt header says. */
export function TillSettings({ settings }: { settings: Settings }) {
  const { save, terminals, selected, select, testPrint, lastTest, printer } = useTillStore(
    useShallow((s) => ({
      save: s.saveSettings,
      terminals: s.terminals,
      selected: s.selectedTerminalId,
      select: s.selectTerminal,
      testPrint: s.testPrint,
      lastTest: s.lastTestPrint,
      printer: s.printer,
    })),
  );
  const [form, setFormState] = useState({
    printer: settings.printer,
    printerType: settings.printerType,
    paperWidth: settings.paperWidth,
    tillName: settings.tillName,
    shopName: settings.shopName,
    shopAddress: settings.shopAddress,
    vatNumber: settings.vatNumber,
    receiptFooter: settings.receiptFooter,
    receiptDefault: settings.receiptDefault,
    tipOffer: settings.tipOffer,
    cashRounding: settings.cashRounding,
  });
  const [error, setError] = useState<string | null>(null);
  // An edit answers the last complaint: it must not stay on screen once it may no longer be true.
  const setForm = (next: typeof form) => {
    setFormState(next);
    setError(null);
  };
  const field = (
    key: 'printer' | 'tillName' | 'shopName' | 'vatNumber' | 'receiptFooter',
    label: string,
    max: number,
    placeholder?: string,
  ) => (
    <label>
      {label}
      <input
        value={form[key]}
        maxLength={max}
        placeholder={placeholder}
        onChange={(e) => setForm({ ...form, [key]: e.target.value })}
      />
    </label>
  );
  const submit = () => {
    const p = form.printer.trim();
    if (
      p !== 'none' &&
      !/^tcp:\/\/[^\s:/]+(:\d{1,5})?$/.test(p) &&
      !/^printer:.+$/.test(p) &&
      !/^file:.+$/.test(p)
    ) {
      setError('Printer must be tcp://host:9100, printer:<name>, file:<path> or none');
      return;
    }
    void save(form).then(setError);
  };
  return (
    <>
      <section className="panel" aria-label="Terminal and printer">
        <h2>Terminal and printer</h2>
        <label>
          Default card terminal for this till
          <select value={selected ?? ''} onChange={(e) => void select(e.target.value)}>
            {!selected && <option value="">Choose a terminal</option>}
            {terminals.map((t) => (
              <option key={t.id} value={t.id}>
                TID {t.tid} — {statusWords[t.status] ?? t.status}
              </option>
            ))}
          </select>
        </label>
        {field(
          'printer',
          'Receipt printer (tcp://host:9100, printer:<name>, file:<path> or none)',
          300,
          'none',
        )}
        <div className="form-grid">
          <label>
            Printer type
            <select
              value={form.printerType}
              onChange={(e) =>
                setForm({ ...form, printerType: e.target.value === 'star' ? 'star' : 'epson' })
              }
            >
              <option value="epson">Epson (ESC/POS)</option>
              <option value="star">Star</option>
            </select>
          </label>
          <label>
            Paper width
            <select
              value={form.paperWidth}
              onChange={(e) => setForm({ ...form, paperWidth: e.target.value === '58' ? 58 : 80 })}
            >
              <option value={80}>80 mm</option>
              <option value={58}>58 mm</option>
            </select>
          </label>
        </div>
        {field('tillName', 'Till name', 30)}
        <div className="button-row">
          <button type="button" className="btn-secondary" onClick={() => void testPrint()}>
            Print a test page
          </button>
          {printer && (
            <span
              className={
                printer.state === 'ready'
                  ? 'ok-text'
                  : printer.state === 'offline'
                    ? 'bad-text'
                    : 'muted'
              }
            >
              Printer: {printerWords[printer.state]}
              {printer.reason ? ` — ${printer.reason}` : ''}
            </span>
          )}
        </div>
        {lastTest && (
          <p role="status" className={lastTest.ok ? 'ok-text' : 'bad-text'}>
            {lastTest.message}
          </p>
        )}
      </section>
      <section className="panel" aria-label="Receipt header">
        <h2>Receipt</h2>
        {field('shopName', 'Shop name', 60)}
        <label>
          Shop address
          <textarea
            rows={3}
            maxLength={200}
            value={form.shopAddress}
            onChange={(e) => setForm({ ...form, shopAddress: e.target.value })}
          />
        </label>
        {field('vatNumber', 'VAT number', 30, 'GB123 4567 89')}
        {field('receiptFooter', 'Receipt footer', 200)}
        <label>
          After payment, the customer gets (until someone chooses)
          <select
            value={form.receiptDefault}
            onChange={(e) =>
              setForm({
                ...form,
                receiptDefault:
                  e.target.value === 'email'
                    ? 'email'
                    : e.target.value === 'none'
                      ? 'none'
                      : 'print',
              })
            }
          >
            <option value="print">Print</option>
            <option value="email">Email (card payments)</option>
            <option value="none">No receipt</option>
          </select>
        </label>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={form.tipOffer}
            onChange={(e) => setForm({ ...form, tipOffer: e.target.checked })}
          />
          Offer a tip before card payments (10%, 12.5%, 15% or an amount)
        </label>
        <label>
          Cash rounding
          <select
            value={form.cashRounding}
            onChange={(e) =>
              setForm({ ...form, cashRounding: e.target.value === '0.05' ? '0.05' : 'none' })
            }
          >
            <option value="none">{cashRoundingLabels.none}</option>
            <option value="0.05">{cashRoundingLabels['0.05']}</option>
          </select>
          <span className="muted">
            {settings.currency === 'EUR'
              ? 'Cash totals round to 5 cents (as in the Netherlands, Belgium, Ireland, Finland); cards are never rounded.'
              : 'A pound till takes cash to the penny: rounding is for euro tills.'}
          </span>
        </label>
        {error && <p role="alert">{error}</p>}
        <button type="button" onClick={submit}>
          Save shop and printer settings
        </button>
      </section>
    </>
  );
}
