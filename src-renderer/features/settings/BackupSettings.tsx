import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { BackupInfo } from '../../../src-shared/contract';
import { useTillStore } from '../../store/store';

const when = (iso: string) =>
  new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
const size = (bytes: number) =>
  bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} KB`;
const why = (b: BackupInfo) => (b.reason === 'day-close' ? 'day close' : 'made by hand');

/** Copies of the database: made at each day close and on demand, the newest N kept. */
export function BackupSettings({ keep }: { keep: number }) {
  const { backups, busy, error, load, backupNow, save } = useTillStore(
    useShallow((s) => ({
      backups: s.backups,
      busy: s.backingUp,
      error: s.backupError,
      load: s.loadBackups,
      backupNow: s.backupNow,
      save: s.saveSettings,
    })),
  );
  const [count, setCount] = useState(String(keep));
  const [keepError, setKeepError] = useState<string | null>(null);
  useEffect(() => void load(), [load]);
  return (
    <section className="panel" aria-label="Backups">
      <h2>Backups</h2>
      <p>
        A copy of the database is made at every day close and whenever you press Back up now, in the{' '}
        <code>backups</code> folder of the data folder. The newest {keep} are kept; how to restore
        one is in the operations guide.
      </p>
      <div className="form-grid">
        <label>
          Backups to keep
          <input
            inputMode="numeric"
            value={count}
            onChange={(e) => (setCount(e.target.value), setKeepError(null))}
          />
        </label>
      </div>
      {keepError && <p role="alert">{keepError}</p>}
      <div className="button-row">
        <button
          type="button"
          onClick={() => {
            if (!/^\d{1,3}$/.test(count.trim()))
              return setKeepError('Type a whole number of backups, from 1 to 365');
            void save({ backupKeep: Number(count.trim()) }).then(setKeepError);
          }}
        >
          Save number to keep
        </button>
        <button
          type="button"
          className="btn-secondary"
          disabled={busy}
          onClick={() => void backupNow()}
        >
          {busy ? 'Backing up…' : 'Back up now'}
        </button>
      </div>
      {error && <p role="alert">{error}</p>}
      {backups && backups.length === 0 && <p className="muted">No backups yet.</p>}
      {backups && backups.length > 0 && (
        <ol aria-label="Backups kept" className="backup-list">
          {backups.map((b) => (
            <li key={b.name} title={b.name}>
              {when(b.createdAt)} · {why(b)} · {size(b.sizeBytes)}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
