import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { TipsSummary } from '../../../src-shared/domain/receipt';
import { useMoney } from '../../components/Money';
import { useTillStore } from '../../store/store';
import { CountAmountTable } from './CountAmountTable';

/** Tips of the day, apart from takings: per terminal and per person. */
export function TipsTables({ tips }: { tips: TipsSummary | undefined }) {
  const money = useMoney();
  if (!tips) return null;
  return (
    <section aria-label="Tips" className="tips-figures">
      <h3>
        Tips: {money(tips.amountMinor)} ({tips.count}) — not part of the takings
      </h3>
      {tips.count > 0 && (
        <div className="report-tables">
          <CountAmountTable
            label="Tips by terminal"
            caption="Tips by terminal"
            nameHead="Terminal"
            countHead="Tips"
            rows={tips.byTerminal.map((t) => ({
              key: t.terminalId,
              name: t.terminalTid ? `TID ${t.terminalTid}` : t.terminalId,
              count: t.count,
              amountMinor: t.amountMinor,
            }))}
          />
          <CountAmountTable
            label="Tips by staff member"
            caption="Tips by staff member"
            nameHead="Staff"
            countHead="Tips"
            rows={tips.byStaff.map((p) => ({
              key: p.staffId ?? 'nobody',
              name: p.name,
              count: p.count,
              amountMinor: p.amountMinor,
            }))}
          />
        </div>
      )}
    </section>
  );
}

const when = (iso: string) =>
  new Date(iso).toLocaleString('en-GB', {
    day: '2-digit',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });

/**
 * Cards taken on another terminal while Dojo was down that the till could not yet find in Dojo's
 * record: the manager checks them against the terminal's own slips or the Dojo dashboard.
 */
export function ToMatchList() {
  const { list, run, load, matchNow, dojoState } = useTillStore(
    useShallow((s) => ({
      list: s.toMatch,
      run: s.toMatchRun,
      load: s.loadToMatch,
      matchNow: s.matchNow,
      dojoState: s.status?.dojo.state,
    })),
  );
  const money = useMoney();
  useEffect(() => {
    void load();
  }, [load, dojoState]);
  return (
    <section aria-label="Cards to match" className="to-match">
      <h3>Cards taken on another terminal, still to match ({list.length})</h3>
      {list.length === 0 ? (
        <p className="muted">None: every card taken elsewhere was found in Dojo’s record.</p>
      ) : (
        <table aria-label="Cards to match with Dojo">
          <thead>
            <tr>
              <th>Order</th>
              <th>Taken</th>
              <th>Card</th>
              <th>Auth</th>
              <th>By</th>
              <th className="num">Amount</th>
            </tr>
          </thead>
          <tbody>
            {list.map((t) => (
              <tr key={t.tenderId}>
                <td>{t.reference}</td>
                <td>{when(t.createdAt)}</td>
                <td>ending {t.last4}</td>
                <td>{t.authCode ?? '-'}</td>
                <td>{t.staffName ?? '-'}</td>
                <td className="num">{money(t.amountMinor)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="button-row">
        <button type="button" className="btn-secondary" onClick={() => void matchNow()}>
          Look in Dojo’s record now
        </button>
        {run && (
          <span role="status" className={run.error ? 'bad-text' : 'muted'}>
            {run.error ??
              `Checked ${when(run.checkedAt)}: ${run.matched.length} matched, ${run.open.length} still to match.`}
          </span>
        )}
      </div>
    </section>
  );
}
