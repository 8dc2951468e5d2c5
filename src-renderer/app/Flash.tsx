import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useTillStore } from '../store/store';

export function Flash() {
  const { flash, dismiss } = useTillStore(
    useShallow((s) => ({ flash: s.flash, dismiss: s.dismissFlash })),
  );
  useEffect(() => {
    if (!flash) return;
    const t = setTimeout(dismiss, flash.kind === 'error' ? 8000 : 4000);
    return () => clearTimeout(t);
  }, [flash, dismiss]);
  if (!flash) return null;
  return (
    <div className={`flash flash-${flash.kind}`} role={flash.kind === 'error' ? 'alert' : 'status'}>
      <span>{flash.text}</span>
      <button type="button" className="btn-ghost" aria-label="Dismiss message" onClick={dismiss}>
        ✕
      </button>
    </div>
  );
}
