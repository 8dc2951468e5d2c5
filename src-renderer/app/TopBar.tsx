import { useShallow } from 'zustand/react/shallow';
import { TerminalPicker } from '../features/terminals/TerminalPicker';
import { screens, type Screen } from '../store/app.slice';
import { useTillStore } from '../store/store';

const labels: Record<Screen, string> = {
  sell: 'Sell',
  orders: 'Orders',
  refunds: 'Refunds',
  drawer: 'Drawer',
  reports: 'Reports',
  settings: 'Settings',
};

export function TopBar() {
  const { screen, go, shop } = useTillStore(
    useShallow((s) => ({ screen: s.screen, go: s.go, shop: s.settings?.shopName })),
  );
  return (
    <header className="top-bar">
      <span className="brand">{shop || 'OpenTill'}</span>
      <nav aria-label="Main">
        {screens.map((s) => (
          <button
            key={s}
            type="button"
            className={`nav-button${s === screen ? ' nav-active' : ''}`}
            aria-current={s === screen ? 'page' : undefined}
            onClick={() => go(s)}
          >
            {labels[s]}
          </button>
        ))}
      </nav>
      <TerminalPicker />
    </header>
  );
}
