import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { StoreContext, createTillStore } from './store/store';
import { bridgeEvents } from './store/bridge';
import { resolveTill } from './transport/till';
import './styles.css';

const till = resolveTill();
const store = createTillStore(till);
bridgeEvents(till, store);

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <StoreContext.Provider value={store}>
        <App />
      </StoreContext.Provider>
    </StrictMode>,
  );
}
