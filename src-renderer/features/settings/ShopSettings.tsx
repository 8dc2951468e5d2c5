import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useTillStore } from '../../store/store';
import { shopEditsWords, shopLinkWords } from '../../app/shop-link-words';

/**
 * Joining the shop database: paste the address `npm run shop -- register-till` printed. It is
 * write-only like the Dojo key: the screen shows the link's state, never the address.
 */
export function ShopSettings() {
  const { link, busy, load, connect, disconnect } = useTillStore(
    useShallow((s) => ({
      link: s.shopLink,
      busy: s.shopBusy,
      load: s.loadShopLink,
      connect: s.connectShop,
      disconnect: s.disconnectShop,
    })),
  );
  const status = useTillStore((s) => s.status?.shop);
  const [url, setUrl] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => void load(), [load, status?.state]);

  return (
    <section className="panel" aria-label="Shop database">
      <h2>Shop database</h2>
      <p role="status" aria-label="Shop database status">
        {link ? shopLinkWords(link.state, link.behind) : 'checking…'}
        {link?.reason ? ` — ${link.reason}` : ''}
      </p>
      {link && shopEditsWords(link.state) && (
        <p
          aria-label="Shop edits"
          {...(link.state === 'unreachable' || link.state === 'refused' ? { role: 'alert' } : {})}
        >
          {shopEditsWords(link.state)}
        </p>
      )}
      {link?.referencePrefix && (
        <p aria-label="Order references">
          New orders on this till are numbered <strong>{link.referencePrefix}-…</strong>, a prefix
          no other till of the shop uses, so a reference names one order in the whole shop.
        </p>
      )}
      {link && link.refusedRows.length > 0 && (
        <div role="alert">
          <p>
            {link.refusedRows.length} of the shop&apos;s catalogue rows (products, sizes, modifiers,
            VAT rates) or staff accounts could not be used on this till:
          </p>
          <ul>
            {link.refusedRows.slice(0, 5).map((r) => (
              <li key={r.id}>{r.reason}</li>
            ))}
          </ul>
        </div>
      )}
      {link?.source === 'environment' ? (
        <p>Set by the OPENTILL_SHOP_DATABASE_URL environment variable.</p>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void connect(url).then((err) => {
              setError(err);
              if (!err) setUrl('');
            });
          }}
        >
          <label>
            Connection address (write-only: it holds this till&apos;s password)
            <input
              type="password"
              autoComplete="off"
              spellCheck={false}
              value={url}
              placeholder="postgresql://opentill_till_…@shop-server:5432/shop"
              onChange={(e) => {
                setUrl(e.target.value);
                setError(null);
              }}
            />
          </label>
          {error && <p role="alert">{error}</p>}
          <div className="button-row">
            <button type="submit" disabled={busy || url.trim() === ''} aria-busy={busy}>
              {busy ? 'Checking…' : 'Join shop'}
            </button>
            {link && link.state !== 'off' && (
              <button
                type="button"
                className="btn-secondary btn-danger-outline"
                disabled={busy}
                onClick={() => void disconnect().then(setError)}
              >
                Leave shop (work alone)
              </button>
            )}
          </div>
        </form>
      )}
    </section>
  );
}
