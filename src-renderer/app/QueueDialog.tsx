import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { QueueItemView } from '../../src-shared/contract';
import { Dialog } from '../components/Dialog';
import { PinField } from '../components/PinField';
import type { PinError } from '../lib/pin-error';
import { useTillStore } from '../store/store';

const time = (iso: string) =>
  new Date(iso).toLocaleString('en-GB', { dateStyle: 'short', timeStyle: 'medium' });

function statusWords(item: QueueItemView): string {
  switch (item.status) {
    case 'pending':
      return item.attempts === 0
        ? 'Waiting to be sent'
        : `Not through yet after ${item.attempts} ${item.attempts === 1 ? 'try' : 'tries'}; next try ${item.nextAttemptAt ? time(item.nextAttemptAt) : 'soon'}`;
    case 'dead':
      return `Stopped after ${item.attempts} ${item.attempts === 1 ? 'try' : 'tries'} — needs a person: retry it, or discard it with a reason`;
    case 'discarded':
      return `Discarded by a ${item.discardedBy ?? 'manager'}${item.discardedAt ? ` at ${time(item.discardedAt)}` : ''}: ${item.discardedReason ?? ''}`;
  }
}

/** One dead item's discard form: a reason and the manager's PIN. */
function DiscardForm({ item, onDone }: { item: QueueItemView; onDone: () => void }) {
  const { discard, busy } = useTillStore(
    useShallow((s) => ({ discard: s.discardQueued, busy: s.queueBusy })),
  );
  const [reason, setReason] = useState('');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<PinError | null>(null);
  return (
    <form
      className="queue-discard"
      aria-label={`Discard ${item.what}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (reason.trim().length < 3)
          return setError({
            message: 'Say why it is discarded (at least 3 characters)',
            locked: false,
          });
        void discard(item.id, reason.trim(), pin).then((err) => {
          setError(err);
          if (!err) onDone();
        });
      }}
    >
      <p className="muted">
        Discarding means the till stops trying for good. Check Dojo first: if this refund did go
        through there, or you settled it another way (for example in cash), say so.
      </p>
      <label>
        Reason
        <input
          value={reason}
          maxLength={200}
          onChange={(e) => (setReason(e.target.value), setError(null))}
        />
      </label>
      <PinField label="Manager PIN" value={pin} onChange={(v) => (setPin(v), setError(null))} />
      {error && <p role="alert">{error.message}</p>}
      <button type="submit" className="btn-danger" disabled={busy || error?.locked === true}>
        Discard for good
      </button>
    </form>
  );
}

/** The work queue: what is waiting to be sent to Dojo, and what stopped and needs a person. */
export function QueueDialog() {
  const { open, items, error, busy, close, retry } = useTillStore(
    useShallow((s) => ({
      open: s.queueOpen,
      items: s.queueItems,
      error: s.queueError,
      busy: s.queueBusy,
      close: s.closeQueue,
      retry: s.retryQueued,
    })),
  );
  const [discarding, setDiscarding] = useState<number | null>(null);
  if (!open) return null;
  const live = items?.filter((i) => i.status !== 'discarded') ?? [];
  const discarded = items?.filter((i) => i.status === 'discarded') ?? [];
  return (
    <Dialog title="Queued work" onClose={close} wide>
      {error && <p role="alert">{error}</p>}
      {items === null && <p>Loading…</p>}
      {items !== null && live.length === 0 && (
        <p>Nothing is waiting: everything queued has been sent.</p>
      )}
      {live.length > 0 && (
        <ul className="queue-list" aria-label="Waiting and stopped work">
          {live.map((item) => (
            <li key={item.id} className={`queue-item queue-${item.status}`}>
              <p className="queue-what">{item.what}</p>
              <p>{statusWords(item)}</p>
              {item.lastError && <p className="muted">Last answer: {item.lastError}</p>}
              {item.status === 'dead' && (
                <div className="button-row">
                  <button type="button" disabled={busy} onClick={() => void retry(item.id)}>
                    Retry
                  </button>
                  <button
                    type="button"
                    className="btn-secondary"
                    onClick={() => setDiscarding(discarding === item.id ? null : item.id)}
                  >
                    Discard…
                  </button>
                </div>
              )}
              {item.status === 'dead' && discarding === item.id && (
                <DiscardForm item={item} onDone={() => setDiscarding(null)} />
              )}
            </li>
          ))}
        </ul>
      )}
      {discarded.length > 0 && (
        <details>
          <summary>Discarded ({discarded.length})</summary>
          <ul className="queue-list" aria-label="Discarded work">
            {discarded.map((item) => (
              <li key={item.id} className="queue-item queue-discarded">
                <p className="queue-what">{item.what}</p>
                <p>{statusWords(item)}</p>
              </li>
            ))}
          </ul>
        </details>
      )}
    </Dialog>
  );
}
