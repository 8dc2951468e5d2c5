import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { apiKeyProblem } from '../../../src-shared/contract/settings.contract';
import { useTillStore } from '../../store/store';
import { KeyChangeDialog, type KeyChange } from './KeyChangeDialog';

const envWords = {
  training: 'training (built-in simulator)',
  sandbox: 'Dojo sandbox',
  production: 'Dojo live (production)',
} as const;

/** The key is write-only: the till shows whether one is set and for which environment, never the key. */
export function DojoSettings() {
  const { credentials, settings, test, testing, setKey, clearKey, runTest, save } = useTillStore(
    useShallow((s) => ({
      credentials: s.credentials,
      settings: s.settings,
      test: s.connectionTest,
      testing: s.testingConnection,
      setKey: s.setApiKey,
      clearKey: s.clearApiKey,
      runTest: s.testConnection,
      save: s.saveSettings,
    })),
  );
  const [key, setKeyText] = useState('');
  const [keyError, setKeyError] = useState<string | null>(null);
  const [change, setChange] = useState<KeyChange | null>(null);
  const [ids, setIds] = useState({
    softwareHouseId: settings?.softwareHouseId ?? '',
    resellerId: settings?.resellerId ?? '',
  });
  const [idsError, setIdsError] = useState<string | null>(null);

  return (
    <section className="panel" aria-label="Dojo connection">
      <h2>Dojo connection</h2>
      <p role="status" aria-label="API key status">
        API key:{' '}
        {credentials ? (
          credentials.configured ? (
            <span className="ok-text">configured · {envWords[credentials.environment]}</span>
          ) : (
            <span className="bad-text">not configured · {envWords[credentials.environment]}</span>
          )
        ) : (
          'checking…'
        )}
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const problem = apiKeyProblem(key);
          if (problem) {
            setKeyError(problem);
            return;
          }
          setKeyError(null);
          // Replacing a key changes where the money goes: confirm it with a manager first.
          if (credentials?.configured) return setChange({ kind: 'replace', key: key.trim() });
          void setKey(key).then((err) => {
            setKeyError(err?.message ?? null);
            if (!err) setKeyText('');
          });
        }}
      >
        <label>
          Dojo API key (write-only: it is never shown again)
          <input
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={key}
            placeholder="sk_sandbox_… or sk_prod_…"
            onChange={(e) => setKeyText(e.target.value)}
          />
        </label>
        {keyError && <p role="alert">{keyError}</p>}
        <div className="button-row">
          <button type="submit">Save API key</button>
          {credentials?.configured && (
            <button
              type="button"
              className="btn-secondary btn-danger-outline"
              onClick={() => (setKeyError(null), setChange({ kind: 'remove' }))}
            >
              Remove API key
            </button>
          )}
        </div>
      </form>
      {change && credentials && (
        <KeyChangeDialog
          change={change}
          mode={credentials.environment}
          onClose={() => setChange(null)}
          onConfirm={async (pin) => {
            const err =
              change.kind === 'remove' ? await clearKey(pin) : await setKey(change.key, pin);
            if (!err && change.kind === 'replace') setKeyText('');
            return err;
          }}
        />
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void save(ids).then(setIdsError);
        }}
      >
        <div className="form-grid">
          <label>
            Software house id
            <input
              value={ids.softwareHouseId}
              maxLength={100}
              onChange={(e) => setIds({ ...ids, softwareHouseId: e.target.value })}
            />
          </label>
          <label>
            Reseller id
            <input
              value={ids.resellerId}
              maxLength={100}
              onChange={(e) => setIds({ ...ids, resellerId: e.target.value })}
            />
          </label>
        </div>
        {idsError && <p role="alert">{idsError}</p>}
        <div className="button-row">
          <button type="submit" className="btn-secondary">
            Save ids
          </button>
          <button type="button" disabled={testing} onClick={() => void runTest()}>
            {testing ? 'Testing…' : 'Test connection'}
          </button>
        </div>
      </form>
      {test && (
        <p
          role="status"
          aria-label="Connection test result"
          className={test.ok ? 'ok-text' : 'bad-text'}
        >
          {test.ok ? '✓ ' : '✗ '}
          {test.message}
          {test.terminals !== null && !/terminal/i.test(test.message)
            ? ` (${test.terminals} terminal${test.terminals === 1 ? '' : 's'})`
            : ''}
        </p>
      )}
    </section>
  );
}
