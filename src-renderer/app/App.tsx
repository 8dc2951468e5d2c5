import { Diagnostics } from './Diagnostics';
import { StatusBar } from './StatusBar';
import { TrainingBanner } from './TrainingBanner';

export function App() {
  return (
    <div className="app">
      <TrainingBanner />
      <header className="app-header">
        <h1>OpenTill</h1>
      </header>
      <main className="app-main">
        <Diagnostics />
      </main>
      <StatusBar />
    </div>
  );
}
