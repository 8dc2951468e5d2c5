import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { EndOfDaySummary } from '../../../src-shared/domain/receipt';
import type { ShopDojoCheck, ShopStaffFigures } from '../../../src-shared/contract/shop.contract';
import { vatLabel } from '../../../src-shared/domain/pricing';
import { Dialog } from '../../components/Dialog';
import { useMoney } from '../../components/Money';
import { useTillStore } from '../../store/store';
import { ReceiptPreview } from '../receipt/ReceiptPreview';
import { CountAmountTable, EmptyRow } from './CountAmountTable';
import { TipsTables, ToMatchList } from './TipsAndToMatch';
import { tenderKindLabels, type TenderKind } from '../../../src-shared/domain/order-status';
import { CashCountForm, countOf } from '../staff/CashCountForm';
import { CashFigures, DojoCheckView } from '../staff/CashFigures';

const when = (iso: string) =>
  new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

/** End of day: the open day's figures (X report), and closing the day (Z report, counters reset). */
export function ReportsScreen() {
  const { report, error, busy, load, closure, showZ, reprintZ, printX } = useTillStore(
    useShallow((s) => ({
      report: s.dayReport,
      error: s.dayReportError,
      busy: s.dayReportBusy,
      load: s.loadDayReport,
      closure: s.lastClosure,
      showZ: s.showZReport,
      reprintZ: s.reprintZReport,
      printX: s.printXReport,
    })),
  );
  const shopJoined = useTillStore((s) => (s.status?.shop?.state ?? 'off') !== 'off');
  const [confirming, setConfirming] = useState(false);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <div className="reports">
      <section className="panel reports-figures" aria-label="End of day figures">
        <header className="reports-head">
          <h2>End of day</h2>
          <div className="button-row">
            <button
              type="button"
              className="btn-secondary"
              disabled={busy}
              onClick={() => void load()}
            >
              Refresh figures
            </button>
            <button
              type="button"
              className="btn-secondary"
              disabled={busy || !report}
              aria-busy={busy || undefined}
              onClick={() => void printX()}
            >
              Print X report
            </button>
            <button
              type="button"
              className="btn-danger"
              disabled={busy || !report}
              onClick={() => setConfirming(true)}
            >
              Close the day…
            </button>
          </div>
        </header>
        {error && <p role="alert">{error}</p>}
        {report ? (
          <Figures summary={report.summary} />
        ) : (
          !error && <p className="muted">Loading the figures…</p>
        )}
        {closure && (
          <div className="closure-note" role="status" aria-label="Last closure">
            <p>
              Day closed {when(closure.closedAt)}: {closure.summary.ordersCount} order
              {closure.summary.ordersCount === 1 ? '' : 's'}, net takings{' '}
              <NetOf summary={closure.summary} />.
              {!closure.job && ' No printer is set, so the Z report was not printed.'}
            </p>
            <div className="button-row">
              <button type="button" className="btn-secondary" onClick={showZ}>
                Show Z report
              </button>
              {closure.job && (
                <button type="button" className="btn-secondary" onClick={() => void reprintZ()}>
                  Print Z report again
                </button>
              )}
            </div>
            {closure.summary.cash && (
              <CashFigures cash={closure.summary.cash} count={closure.summary.count} />
            )}
            <DojoCheckView check={closure.summary.dojoCheck} />
          </div>
        )}
        <ToMatchList />
        <DojoChecks />
      </section>
      <section className="panel reports-preview" aria-label="Report as it prints">
        <h2>Report as it prints</h2>
        {report && (
          <div className="receipt-frame">
            <ReceiptPreview document={report.document} columns={report.columns} />
          </div>
        )}
      </section>
      {shopJoined && <ShopDaySection />}
      {confirming && report && (
        <CloseDayDialog summary={report.summary} onClose={() => setConfirming(false)} />
      )}
    </div>
  );
}

/** A till's close against Dojo's record, in a word or two. */
const dojoCheckText = (check: ShopDojoCheck | null, money: (minor: number) => string): string => {
  if (!check) return 'Not checked';
  switch (check.status) {
    case 'matched':
      return 'Matched';
    case 'differs':
      return `Differs by ${money(Math.abs(check.differenceMinor))}`;
    case 'pending':
      return 'Dojo not reached yet';
  }
};

/** The whole shop's open day from the shop database: every till, tender and terminal. */
function ShopDaySection() {
  const money = useMoney();
  const { day, error, busy, load, closed } = useTillStore(
    useShallow((s) => ({
      day: s.shopDay,
      error: s.shopDayError,
      busy: s.shopDayBusy,
      load: s.loadShopDay,
      closed: s.shopDayClosed,
    })),
  );
  useEffect(() => {
    void load();
  }, [load]);
  const notClosed = day?.closedDay ? day.tills.filter((t) => !t.dayClosed) : [];
  // The shop's tills share the Dojo account: a terminal reads by its TID, as on the till's report.
  const terminals = useTillStore((st) => st.terminals);
  const tidOf = (id: string) => {
    const t = terminals.find((x) => x.id === id);
    return t ? `TID ${t.tid}` : id === 'unknown' ? 'Unknown terminal' : id;
  };
  const minus = (m: number) => (m > 0 ? `−${money(m)}` : money(0));
  return (
    <section className="panel reports-shop" aria-label="Whole shop">
      <header className="reports-head">
        <h2>Whole shop</h2>
        <div className="button-row">
          <div className="segmented" role="group" aria-label="Shop day">
            <button type="button" aria-pressed={!closed} onClick={() => void load(false)}>
              Open day
            </button>
            <button type="button" aria-pressed={closed} onClick={() => void load(true)}>
              Closed day
            </button>
          </div>
          <button
            type="button"
            className="btn-secondary"
            disabled={busy}
            onClick={() => void load()}
          >
            Refresh shop figures
          </button>
        </div>
      </header>
      {error && <p role="alert">{error}</p>}
      {!day && !error && <p className="muted">Loading the shop’s figures…</p>}
      {day && (
        <>
          <p className="muted reports-period">
            {day.closedDay
              ? 'Each till’s latest closed day, as its Z report counted it · read from the shop database'
              : `Each till since its own last close · up to ${when(day.to)} · read from the shop database`}
          </p>
          {notClosed.length > 0 && (
            <p role="alert" aria-label="Tills not closed">
              {notClosed.map((t) => t.tillName).join(', ')}{' '}
              {notClosed.length === 1 ? 'has' : 'have'} not closed a day yet: the shop’s closed day
              is not complete.
            </p>
          )}
          {day.alerts.length > 0 && (
            <ul role="alert" aria-label="Shop day alerts" className="reports-alerts">
              {day.alerts.map((a) => (
                <li key={a}>{a}</li>
              ))}
            </ul>
          )}
          <div className="report-tables">
            <table aria-label="Shop takings by till">
              <caption>By till</caption>
              <thead>
                <tr>
                  <th>Till</th>
                  <th>{day.closedDay ? 'Day closed' : 'Last closed'}</th>
                  <th className="num">Orders</th>
                  <th className="num">Sales</th>
                  <th className="num">Refunds</th>
                  <th className="num">Reversals</th>
                  <th className="num">Net</th>
                  <th className="num">Tips</th>
                  <th className="num">Cash expected</th>
                  {day.closedDay && <th>Dojo check</th>}
                </tr>
              </thead>
              <tbody>
                {day.tills.map((t) => (
                  <tr key={t.tillId}>
                    <td>{t.tillName}</td>
                    <td>{t.lastClosedAt ? when(t.lastClosedAt) : 'never'}</td>
                    <td className="num">{t.ordersCount}</td>
                    <td className="num">{money(t.salesMinor)}</td>
                    <td className="num">{minus(t.refundsMinor)}</td>
                    <td className="num">{minus(t.reversalsMinor)}</td>
                    <td className="num">{money(t.netMinor)}</td>
                    <td className="num">{money(t.tipsMinor)}</td>
                    <td className="num">{money(t.cash.expectedMinor)}</td>
                    {day.closedDay && <td>{dojoCheckText(t.dojoCheck, money)}</td>}
                  </tr>
                ))}
                <tr className="sum-row">
                  <td>Whole shop</td>
                  <td />
                  <td className="num" aria-label="Shop orders count">
                    {day.shop.ordersCount}
                  </td>
                  <td className="num">{money(day.shop.salesMinor)}</td>
                  <td className="num">{minus(day.shop.refundsMinor)}</td>
                  <td className="num">{minus(day.shop.reversalsMinor)}</td>
                  <td className="num" aria-label="Shop net takings">
                    {money(day.shop.netMinor)}
                  </td>
                  <td className="num" aria-label="Shop tips">
                    {money(day.shop.tipsMinor)}
                  </td>
                  <td className="num" aria-label="Shop cash expected">
                    {money(day.shop.cash.expectedMinor)}
                  </td>
                  {day.closedDay && <td />}
                </tr>
              </tbody>
            </table>
            <CountAmountTable
              label="Shop takings by tender"
              caption="By tender"
              nameHead="Tender"
              rows={day.shop.tenders.map((t) => ({
                key: t.kind,
                name: tenderKindLabels[t.kind as TenderKind] ?? t.kind,
                count: t.count,
                amountMinor: t.amountMinor,
              }))}
            />
            <CountAmountTable
              label="Shop card takings by terminal"
              caption="Card by terminal"
              nameHead="Terminal"
              rows={day.shop.cardByTerminal.map((t) => ({
                key: t.terminalId,
                name: tidOf(t.terminalId),
                count: t.count,
                amountMinor: t.amountMinor,
              }))}
            />
          </div>
          <div className="report-tables">
            <ShopStaffTable rows={day.shop.byStaff} />
            <CountAmountTable
              label="Shop tips by terminal"
              caption="Tips by terminal (not takings)"
              nameHead="Terminal"
              countHead="Tips"
              rows={day.shop.tipsByTerminal.map((t) => ({
                key: t.terminalId,
                name: tidOf(t.terminalId),
                count: t.count,
                amountMinor: t.amountMinor,
              }))}
            />
            <CountAmountTable
              label="Shop tips by staff member"
              caption="Tips by staff member"
              nameHead="Staff"
              countHead="Tips"
              rows={day.shop.tipsByStaff.map((p) => ({
                key: p.staffId ?? 'nobody',
                name: p.name,
                count: p.count,
                amountMinor: p.amountMinor,
              }))}
            />
          </div>
          {!day.sumCheck.ok && (
            <p role="alert">
              The shop’s total and the sum of its tills differ by{' '}
              {money(Math.abs(day.sumCheck.differenceMinor))}: report this to the administrator.
            </p>
          )}
        </>
      )}
    </section>
  );
}

/** The whole shop per person, by the till's own X report rule: sales less what they gave back. */
function ShopStaffTable({ rows }: { rows: readonly ShopStaffFigures[] }) {
  const money = useMoney();
  const minus = (m: number) => (m > 0 ? `−${money(m)}` : money(0));
  return (
    <table aria-label="Shop takings by staff member">
      <caption>By staff member</caption>
      <thead>
        <tr>
          <th>Staff</th>
          <th className="num">Orders</th>
          <th className="num">Cash</th>
          <th className="num">Card</th>
          <th className="num">Refunds</th>
          <th className="num">Net</th>
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 && <EmptyRow cols={6} />}
        {rows.map((p) => (
          <tr key={p.staffId ?? 'nobody'}>
            <td>{p.name}</td>
            <td className="num">{p.ordersCount}</td>
            <td className="num">{money(p.cashMinor)}</td>
            <td className="num">{money(p.cardMinor)}</td>
            <td className="num">{minus(p.refundsMinor)}</td>
            <td className="num">{money(p.netMinor)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function NetOf({ summary }: { summary: EndOfDaySummary }) {
  const money = useMoney();
  return <>{money(summary.netMinor)}</>;
}

function Figures({ summary: s }: { summary: EndOfDaySummary }) {
  const money = useMoney();
  const terminals = useTillStore((st) => st.terminals);
  const tidOf = (id: string) => {
    const t = terminals.find((x) => x.id === id);
    return t ? `TID ${t.tid}` : id === 'unknown' ? 'Unknown terminal' : id;
  };
  const totalVat = s.vatByRate.reduce((a, v) => a + v.vatMinor, 0);
  const minus = (m: number) => (m > 0 ? `−${money(m)}` : money(0));
  return (
    <>
      <p className="muted reports-period">
        Since {s.periodStart ? `the last close, ${when(s.periodStart)}` : 'the first sale'} · up to{' '}
        {when(s.periodEnd)}
      </p>
      <dl className="report-tiles">
        <div>
          <dt>Orders</dt>
          <dd aria-label="Orders count">{s.ordersCount}</dd>
        </div>
        <div>
          <dt>Gross sales</dt>
          <dd aria-label="Gross sales">{money(s.grossSalesMinor)}</dd>
        </div>
        <div>
          <dt>Discounts</dt>
          <dd aria-label="Discounts">{minus(s.discountsMinor)}</dd>
        </div>
        <div>
          <dt>Card refunds ({s.refundsCount})</dt>
          <dd aria-label="Refunds">{minus(s.refundsMinor)}</dd>
        </div>
        {(s.reversalsCount ?? 0) > 0 && (
          <div>
            <dt>Reversals ({s.reversalsCount})</dt>
            <dd aria-label="Reversals">{minus(s.reversalsMinor ?? 0)}</dd>
          </div>
        )}
        {s.cashRefundsCount !== undefined && (
          <div>
            <dt>Cash refunds ({s.cashRefundsCount})</dt>
            <dd aria-label="Cash given back">{minus(s.cashRefundsMinor ?? 0)}</dd>
          </div>
        )}
        {(s.exchangeCreditCount ?? 0) > 0 && (
          <div>
            <dt>Exchange credit ({s.exchangeCreditCount})</dt>
            <dd aria-label="Exchange credit">{minus(s.exchangeCreditMinor ?? 0)}</dd>
          </div>
        )}
        <div className="report-net">
          <dt>Net takings</dt>
          <dd aria-label="Net takings">{money(s.netMinor)}</dd>
        </div>
      </dl>
      {s.cash && (
        <section aria-label="Cash drawer so far">
          <h3>Cash drawer</h3>
          <CashFigures cash={s.cash} />
        </section>
      )}
      <div className="report-tables">
        <table aria-label="VAT by rate">
          <caption>VAT by rate</caption>
          <thead>
            <tr>
              <th>Rate</th>
              <th className="num">Sales incl. VAT</th>
              <th className="num">VAT</th>
            </tr>
          </thead>
          <tbody>
            {s.vatByRate.length === 0 && <EmptyRow cols={3} />}
            {s.vatByRate.map((v) => (
              <tr key={v.rateBp}>
                <td>{vatLabel(v.rateBp)}</td>
                <td className="num">{money(v.grossMinor)}</td>
                <td className="num">{money(v.vatMinor)}</td>
              </tr>
            ))}
            {s.vatByRate.length > 0 && (
              <tr className="sum-row">
                <td>Total</td>
                <td className="num">{money(s.vatByRate.reduce((a, v) => a + v.grossMinor, 0))}</td>
                <td className="num">{money(totalVat)}</td>
              </tr>
            )}
          </tbody>
        </table>
        <CountAmountTable
          label="Takings by tender"
          caption="Takings by tender"
          nameHead="Tender"
          rows={s.tenders.map((t) => ({
            key: t.kind,
            name: tenderKindLabels[t.kind],
            count: t.count,
            amountMinor: t.amountMinor,
          }))}
        >
          {/* Cash takings + rounding = what the sales put in the drawer. */}
          {s.cash?.cashRoundedCount ? (
            <tr>
              <td>Cash rounding</td>
              <td className="num">{s.cash.cashRoundedCount}</td>
              <td className="num" aria-label="Cash rounding">
                {signedMoney(s.cash.cashRoundingMinor ?? 0, money)}
              </td>
            </tr>
          ) : null}
        </CountAmountTable>
        {s.netByTender && (
          <table aria-label="Net by tender">
            <caption>Net by tender (less money back)</caption>
            <thead>
              <tr>
                <th>Tender</th>
                <th className="num">Net</th>
              </tr>
            </thead>
            <tbody>
              {s.netByTender.length === 0 && <EmptyRow cols={2} />}
              {s.netByTender.map((t) => (
                <tr key={t.kind}>
                  <td>{tenderKindLabels[t.kind]}</td>
                  <td className="num">
                    {t.amountMinor < 0 ? `−${money(-t.amountMinor)}` : money(t.amountMinor)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <CountAmountTable
          label="Card takings by terminal"
          caption="Card takings by terminal"
          nameHead="Terminal"
          rows={s.cardByTerminal.map((t) => ({
            key: t.terminalId,
            name: t.terminalTid ? `TID ${t.terminalTid}` : tidOf(t.terminalId),
            count: t.count,
            amountMinor: t.amountMinor,
          }))}
        />
      </div>
      <TipsTables tips={s.tips} />
    </>
  );
}

const signedMoney = (m: number, money: (m: number) => string) =>
  m < 0 ? `−${money(-m)}` : m > 0 ? `+${money(m)}` : money(0);

function CloseDayDialog({ summary, onClose }: { summary: EndOfDaySummary; onClose: () => void }) {
  const money = useMoney();
  const { closeDay, busy, printer } = useTillStore(
    useShallow((s) => ({ closeDay: s.closeDay, busy: s.dayReportBusy, printer: s.printer?.state })),
  );
  const [error, setError] = useState<string | null>(null);
  const [counts, setCounts] = useState<Record<number, string>>({});
  const needsCount = summary.cash?.day != null;
  const confirm = async () => {
    const problem = await closeDay(needsCount ? countOf(counts) : undefined);
    if (problem) setError(problem);
    else onClose();
  };
  return (
    <Dialog title="Close the day?" onClose={onClose} dismissable={!busy} wide>
      <p>
        Closing the day <strong>resets the counters to zero</strong>: orders, sales, refunds, VAT
        and takings start again from now. It cannot be undone.
      </p>
      <p>
        {printer === 'none'
          ? 'No printer is set: the Z report is kept and can be seen on screen.'
          : 'The Z report prints when the day is closed.'}
      </p>
      <p>
        Closing {summary.ordersCount} order{summary.ordersCount === 1 ? '' : 's'} with net takings
        of <strong>{money(summary.netMinor)}</strong>.
      </p>
      {needsCount && (
        <CashCountForm label="Count the drawer" counts={counts} onChange={setCounts} />
      )}
      {error && <p role="alert">{error}</p>}
      <div className="button-row">
        <button
          type="button"
          className="btn-secondary"
          data-autofocus
          disabled={busy}
          onClick={onClose}
        >
          Cancel
        </button>
        <button type="button" className="btn-danger" disabled={busy} onClick={() => void confirm()}>
          Close the day and reset counters
        </button>
      </div>
    </Dialog>
  );
}

/** Closed days' card checks with Dojo: pending ones can be run again, any can be printed. */
function DojoChecks() {
  const { checks, load, run } = useTillStore(
    useShallow((s) => ({ checks: s.dojoChecks, load: s.loadDojoChecks, run: s.runDojoCheck })),
  );
  useEffect(() => {
    void load();
  }, [load]);
  if (checks.length === 0) return null;
  return (
    <section aria-label="Card checks with Dojo" className="dojo-checks">
      <h3>Card checks with Dojo</h3>
      {checks.slice(0, 5).map((c) => (
        <div key={c.closureId} className="dojo-check">
          <p className="muted">Day closed {when(c.windowEnd)}</p>
          <DojoCheckView check={c} />
          <div className="button-row">
            {c.status === 'pending' && (
              <button
                type="button"
                className="btn-secondary"
                onClick={() => void run(c.closureId, false)}
              >
                Check with Dojo now
              </button>
            )}
            {c.status === 'completed' && (
              <button
                type="button"
                className="btn-secondary"
                onClick={() => void run(c.closureId, true)}
              >
                Print card check
              </button>
            )}
          </div>
        </div>
      ))}
    </section>
  );
}
