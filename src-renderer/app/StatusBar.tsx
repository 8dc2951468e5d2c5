import { useShallow } from 'zustand/react/shallow';
import { useTillStore } from '../store/store';
import { shopEditsWords, shopLinkWords } from './shop-link-words';
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

const linkWords = {
  connecting: 'Till core: connecting…',
  connected: 'Till core connected',
  reconnecting: 'Till core: reconnecting…',
  lost: 'Till core lost — still trying to reconnect',
} as const;

export function StatusBar() {
  const { status, info, update, link, openQueue, openToCheck } = useTillStore(
    useShallow((s) => ({
      status: s.status,
      info: s.info,
      update: s.update,
      link: s.coreLink,
      openQueue: s.openQueue,
      openToCheck: s.openToCheck,
    })),
  );
  // While the core is away, what it last said about Dojo may no longer be true.
  const dojo = link === 'connected' ? (status?.dojo.state ?? 'unknown') : 'unknown';
  return (
    <footer className="status-bar" aria-label="Status bar">
      <SignedIn />
      <span>
        {info ? `OpenTill ${info.version} · ${info.tillId}` : 'Connecting to the till core…'}
      </span>
      {(info?.transport === 'websocket' || link !== 'connected') && (
        <span
          aria-label="Till core link"
          role="status"
          className={`pill pill-${link === 'connected' ? 'online' : link === 'lost' ? 'offline' : 'busy'}`}
          title={
            link === 'lost'
              ? 'Is OpenTill still running? This page reconnects by itself when it is back.'
              : undefined
          }
        >
          {linkWords[link]}
        </span>
      )}
      {status && (
        <>
          <span aria-label="Mode">{modeLabel[status.mode]}</span>
          <span
            aria-label="Dojo connection"
            className={`pill pill-${dojo}`}
            title={status.dojo.reason ?? undefined}
          >
            {link === 'connected' ? dojoWords[dojo] : 'Dojo: not known while the core is away'}
            {dojo === 'offline' && status.dojo.reason ? ` — ${status.dojo.reason}` : ''}
          </span>
          <button
            type="button"
            aria-label="Queued work"
            className={`pill pill-button${status.queue.failed > 0 ? ' pill-offline' : ''}`}
            title="Open the queue of work waiting to be sent to Dojo"
            onClick={openQueue}
          >
            Queued: {status.queue.pending}
            {status.queue.failed > 0 ? ` · ${status.queue.failed} stopped — needs a person` : ''}
          </button>
          {/* A refused receipt is not "Printer ready": the cashier must see that it did not print. */}
          <span
            aria-label="Printer"
            className={`pill pill-${status.printer.notPrinted ? 'offline' : status.printer.state === 'ready' ? 'online' : status.printer.state}`}
            title={status.printer.notPrinted ?? status.printer.reason ?? undefined}
          >
            {status.printer.notPrinted && status.printer.state === 'ready'
              ? 'Receipt not printed'
              : printerWords[status.printer.state]}
            {status.printer.notPrinted && status.printer.state !== 'ready'
              ? ' · receipt not printed'
              : ''}
            {status.printer.pendingJobs > 0 ? ` · ${status.printer.pendingJobs} waiting` : ''}
          </span>
          {(update?.phase === 'ready' || update?.phase === 'installing') && (
            <span aria-label="Update" className="pill pill-online" title={update.message}>
              {update.phase === 'ready'
                ? `Update ${update.availableVersion ?? ''} ready`
                : 'Installing update…'}
            </span>
          )}
          {status.shop && status.shop.state !== 'off' && (
            <span
              aria-label="Shop database"
              className={`pill pill-${status.shop.state === 'connected' ? 'online' : status.shop.state === 'connecting' ? 'unknown' : 'offline'}`}
              title={
                [
                  status.shop.reason,
                  status.shop.state === 'unreachable' || status.shop.state === 'refused'
                    ? shopEditsWords(status.shop.state)
                    : null,
                ]
                  .filter(Boolean)
                  .join(' ') || undefined
              }
            >
              {shopLinkWords(status.shop.state, status.shop.behind)}
            </span>
          )}
          {status.needsAttention > 0 && (
            <button
              type="button"
              className="pill pill-offline pill-button"
              title="Card payments whose result cannot be confirmed: open the list"
              onClick={() => void openToCheck()}
            >
              {status.needsAttention} payment{status.needsAttention === 1 ? '' : 's'} to check
            </button>
          )}
        </>
      )}
    </footer>
  );
}
