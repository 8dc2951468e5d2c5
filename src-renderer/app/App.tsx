import { useTillStore } from '../store/store';
import { OrdersScreen } from '../features/orders/OrdersScreen';
import { PaymentScreen } from '../features/payment/PaymentScreen';
import { PaymentsToCheck } from '../features/payment/PaymentsToCheck';
import { ReceiptPreviewDialog } from '../features/orders/ReceiptActions';
import { RefundsScreen } from '../features/refunds/RefundsScreen';
import { ReportsScreen } from '../features/reports/ReportsScreen';
import { SellScreen } from '../features/sell/SellScreen';
import { SettingsScreen } from '../features/settings/SettingsScreen';
import { Flash } from './Flash';
import { QueueDialog } from './QueueDialog';
import { StatusBar } from './StatusBar';
import { TopBar } from './TopBar';
import { TerminalWarning } from '../features/terminals/TerminalWarning';
import { TrainingBanner } from './TrainingBanner';
import { DrawerScreen } from '../features/staff/DrawerScreen';
import { ApprovalPrompt, SignInGate } from '../features/staff/SignIn';

export function App() {
  const screen = useTillStore((s) => s.screen);
  return (
    <div className="app">
      <TrainingBanner />
      <TopBar />
      <TerminalWarning />
      <main className="app-main" aria-label={screen}>
        {screen === 'sell' && <SellScreen />}
        {screen === 'orders' && <OrdersScreen />}
        {screen === 'refunds' && <RefundsScreen />}
        {screen === 'drawer' && <DrawerScreen />}
        {screen === 'reports' && <ReportsScreen />}
        {screen === 'settings' && <SettingsScreen />}
      </main>
      <StatusBar />
      <PaymentScreen />
      <PaymentsToCheck />
      <ReceiptPreviewDialog />
      <QueueDialog />
      <Flash />
      <ApprovalPrompt />
      <SignInGate />
    </div>
  );
}
