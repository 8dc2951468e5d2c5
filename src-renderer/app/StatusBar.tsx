import { useTillStore } from '../store/store';

const modeLabel = { training: 'Training (simulator)', sandbox: 'Dojo sandbox', production: 'Dojo live' } as const;

export function StatusBar() {
  const status = useTillStore((s) => s.status);
  const info = useTillStore((s) => s.info);
  return (
    <footer className="status-bar" aria-label="Status bar">
      <span>{info ? `OpenTill ${info.version} · ${info.tillId}` : 'Connecting to the till core…'}</span>
      {status && (
        <>
          <span aria-label="Mode">{modeLabel[status.mode]}</span>
          <span aria-label="Dojo connection" className={`pill pill-${status.dojo.state}`}>
            Dojo: {status.dojo.state}
          </span>
          <span aria-label="Queued work">Queued: {status.queue.pending}</span>
          <span aria-label="Printer">Printer: {status.printer.state}</span>
        </>
      )}
    </footer>
  );
}
