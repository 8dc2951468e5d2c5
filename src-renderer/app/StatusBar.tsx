import { useShallow } from 'zustand/react/shallow';
import { useTillStore } from '../store/store';
import { SignedIn } from '../features/staff/SignIn';

const modeLabel = {
  training: 'Training (simulator)',
  sandbox: 'Dojo sandbox',
  production: 'Dojo live',
} as const;
const dojoWords = {
  online: 'Dojo connected',
  offline: 'Dojo unreachable',
  unknown: 'Dojo: checking…',
} as const;
const printerWords = {
  ready: 'Printer ready',
  offline: 'Printer offline',
  none: 'No printer',
  unknown: 'Printer: checking…',
} as const;

export function StatusBar() {
  const { status, info } = useTillStore(useShallow((s) => ({ status: s.status, info: s.info })));
  return (
    <footer className="status-bar" aria-label="Status bar">
      <SignedIn />
      <span>
        {info ? `OpenTill ${info.version} · ${info.tillId}` : 'Connecting to the till core…'}
      </span>
      {status && (
        <>
          <span aria-label="Mode">{modeLabel[status.mode]}</span>
          <span
            aria-label="Dojo connection"
            className={`pill pill-${status.dojo.state}`}
            title={status.dojo.reason ?? undefined}
          >
            {dojoWords[status.dojo.state]}
            {status.dojo.state === 'offline' && status.dojo.reason
              ? ` — ${status.dojo.reason}`
              : ''}
          </span>
          <span
            aria-label="Queued work"
            className={`pill${status.queue.failed > 0 ? ' pill-offline' : ''}`}
          >
            Queued: {status.queue.pending}
            {status.queue.failed > 0 ? ` (${status.queue.failed} failed)` : ''}
          </span>
          <span
            aria-label="Printer"
            className={`pill pill-${status.printer.state === 'ready' ? 'online' : status.printer.state}`}
            title={status.printer.reason ?? undefined}
          >
            {printerWords[status.printer.state]}
            {status.printer.pendingJobs > 0 ? ` · ${status.printer.pendingJobs} waiting` : ''}
          </span>
          {status.needsAttention > 0 && (
            <span aria-label="Needs attention" className="pill pill-offline">
              {status.needsAttention} payment{status.needsAttention === 1 ? '' : 's'} to check
            </span>
          )}
        </>
      )}
    </footer>
  );
}
