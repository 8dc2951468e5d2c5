import { useEffect, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { Dialog } from '../../components/Dialog';
import { useTillStore } from '../../store/store';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'Clear', '0', 'Sign in'] as const;

/** Digits typed on a PIN pad or the keyboard; the PIN never leaves this form but to the core. */
function PinPad({
  label,
  busy,
  submitLabel,
  onSubmit,
}: {
  label: string;
  busy: boolean;
  submitLabel: string;
  onSubmit: (pin: string) => void | Promise<void>;
}) {
  const [pin, setPin] = useState('');
  const submit = () => {
    if (pin.length === 0) return;
    const typed = pin;
    setPin('');
    void onSubmit(typed);
  };
  return (
    <form
      className="pin-pad"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <label>
        {label}
        <input
          type="password"
          inputMode="numeric"
          autoComplete="off"
          maxLength={8}
          data-autofocus
          autoFocus
          value={pin}
          onChange={(e) => setPin(e.target.value)}
        />
      </label>
      <div className="pin-keys" role="group" aria-label="PIN pad">
        {KEYS.map((k) =>
          k === 'Sign in' ? (
            <button key={k} type="submit" className="btn-ok" disabled={busy || pin.length === 0}>
              {submitLabel}
            </button>
          ) : k === 'Clear' ? (
            <button key={k} type="button" className="btn-secondary" onClick={() => setPin('')}>
              Clear
            </button>
          ) : (
            <button
              key={k}
              type="button"
              className="btn-secondary"
              onClick={() => setPin((p) => (p.length < 8 ? p + k : p))}
            >
              {k}
            </button>
          ),
        )}
      </div>
    </form>
  );
}

/**
 * Nobody signed in: the PIN pad covers the till (the basket stays as it was). A fresh till asks
 * for its first manager; training mode also offers the demo manager, labelled as such.
 */
export function SignInGate() {
  const { session, error, signIn, demo, first, signOut } = useTillStore(
    useShallow((s) => ({
      session: s.session,
      error: s.signInError,
      signIn: s.signIn,
      demo: s.signInDemo,
      first: s.createFirstManager,
      signOut: s.signOut,
    })),
  );
  const [busy, setBusy] = useState(false);
  useIdleSignOut(session?.staff ? session.idleMinutes : 0, () => void signOut());
  if (!session || session.staff) return null;
  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    await fn();
    setBusy(false);
  };
  return (
    <div className="sign-in" role="dialog" aria-modal="true" aria-label="Sign in">
      <div className="sign-in-box panel">
        <h2>{session.needsFirstManager ? 'Set up the first manager' : 'Sign in'}</h2>
        {session.needsFirstManager ? (
          <FirstManager onCreate={(name, pin) => first(name, pin)} />
        ) : (
          <PinPad
            label="Your PIN"
            busy={busy || session.lockedUntil !== null}
            submitLabel="Sign in"
            onSubmit={(pin) => run(() => signIn(pin))}
          />
        )}
        {error && !session.needsFirstManager && (
          <p role="alert" className="field-error">
            {error.code === 'STAFF_PIN_INVALID' ? 'That PIN is not right.' : error.message}
          </p>
        )}
        {session.demoAvailable && (
          <div className="sign-in-demo">
            <p className="muted">Training mode: no real payments.</p>
            <button type="button" className="btn-secondary" onClick={() => void run(demo)}>
              Use the demo manager (training only)
            </button>
          </div>
        )}
      </div>
    </div>
  );
}

function FirstManager({
  onCreate,
}: {
  onCreate: (name: string, pin: string) => Promise<string | null>;
}) {
  const [name, setName] = useState('');
  const [pin, setPin] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      className="form-grid"
      onSubmit={(e) => {
        e.preventDefault();
        if (pin !== again) return setError('The two PINs are not the same.');
        void onCreate(name, pin).then(setError);
      }}
    >
      <p className="muted">This till has no manager yet. The manager adds everyone else.</p>
      <label>
        Manager name
        <input value={name} maxLength={40} onChange={(e) => setName(e.target.value)} autoFocus />
      </label>
      <label>
        Manager PIN (4 to 8 digits)
        <input
          type="password"
          inputMode="numeric"
          autoComplete="off"
          maxLength={8}
          value={pin}
          onChange={(e) => setPin(e.target.value)}
        />
      </label>
      <label>
        PIN again
        <input
          type="password"
          inputMode="numeric"
          autoComplete="off"
          maxLength={8}
          value={again}
          onChange={(e) => setAgain(e.target.value)}
        />
      </label>
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
      <button type="submit" className="btn-ok" disabled={!name.trim() || pin.length < 4}>
        Create manager and sign in
      </button>
    </form>
  );
}

/** After `minutes` without a key or a touch, the person is signed out (0 = never). */
function useIdleSignOut(minutes: number, signOut: () => void) {
  const last = useRef(0);
  const out = useRef(signOut);
  useEffect(() => {
    out.current = signOut;
  });
  useEffect(() => {
    if (minutes <= 0) return;
    last.current = Date.now();
    const touch = () => {
      last.current = Date.now();
    };
    const events = ['pointerdown', 'keydown'] as const;
    events.forEach((e) => window.addEventListener(e, touch, true));
    const timer = setInterval(() => {
      if (Date.now() - last.current >= minutes * 60_000) out.current();
    }, 5_000);
    return () => {
      events.forEach((e) => window.removeEventListener(e, touch, true));
      clearInterval(timer);
    };
  }, [minutes]);
}

/** A supervisor's or manager's PIN approving the one action the person signed in may not do. */
export function ApprovalPrompt() {
  const { request, answer } = useTillStore(
    useShallow((s) => ({ request: s.approvalRequest, answer: s.answerApproval })),
  );
  if (!request) return null;
  return (
    <Dialog title="Approval needed" onClose={() => answer(null)}>
      <p role="alert">{request.reason}</p>
      <PinPad
        label="Supervisor or manager PIN"
        busy={false}
        submitLabel="Approve"
        onSubmit={(pin) => answer({ pin })}
      />
      <div className="button-row">
        <button type="button" className="btn-secondary" onClick={() => answer(null)}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}

/** The person signed in, always on screen, with switch and sign out. */
export function SignedIn() {
  const { staff, signOut } = useTillStore(
    useShallow((s) => ({ staff: s.session?.staff ?? null, signOut: s.signOut })),
  );
  if (!staff) return null;
  return (
    <span className="signed-in" aria-label="Signed in">
      <strong>{staff.name}</strong>
      <span className="muted"> · {staff.role}</span>
      <button type="button" className="btn-small btn-ghost" onClick={() => void signOut()}>
        Switch user
      </button>
    </span>
  );
}
