import { useState } from 'react';
import { useTillStore } from '../store/store';

/** A round trip through the core and its database; useful when something looks wrong. */
export function Diagnostics() {
  const [text, setText] = useState('hello till');
  const ping = useTillStore((s) => s.ping);
  const lastPing = useTillStore((s) => s.lastPing);
  const error = useTillStore((s) => s.appError);
  return (
    <section className="panel wide-panel" aria-label="Diagnostics">
      <h2>Diagnostics</h2>
      <label>
        Message
        <input aria-label="Ping message" value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      <button type="button" onClick={() => void ping(text)}>
        Ping the till core
      </button>
      {lastPing && (
        <p role="status">
          Core answered “{lastPing.echo}” (ping #{lastPing.pings} stored)
        </p>
      )}
      {error && <p role="alert">{error.message}</p>}
    </section>
  );
}
