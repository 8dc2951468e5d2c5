import { useEffect, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { roleLabels, staffRoles, type StaffRole } from '../../../src-shared/domain/staff';
import { useTillStore } from '../../store/store';

/** Managers add people, change roles, deactivate and reset PINs (the core checks it is a manager). */
export function StaffSettings() {
  const { list, load, add, update, reset, canManage } = useTillStore(
    useShallow((s) => ({
      list: s.staffList,
      load: s.loadStaff,
      add: s.addStaff,
      update: s.updateStaff,
      reset: s.resetStaffPin,
      canManage: s.session?.permissions.includes('staff.manage') ?? false,
    })),
  );
  const [name, setName] = useState('');
  const [role, setRole] = useState<StaffRole>('cashier');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (canManage) void load();
  }, [canManage, load]);
  if (!canManage) return null;
  return (
    <section className="panel" aria-label="Staff">
      <h2>Staff</h2>
      <table className="cash-table staff-table" aria-label="Staff list">
        <thead>
          <tr>
            <th>Name</th>
            <th>Role</th>
            <th>Active</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {list.map((m) => (
            <tr key={m.id}>
              <td>{m.name}</td>
              <td>
                <select
                  aria-label={`Role of ${m.name}`}
                  value={m.role}
                  onChange={(e) =>
                    void update({ id: m.id, role: e.target.value as StaffRole }).then(setError)
                  }
                >
                  {staffRoles.map((r) => (
                    <option key={r} value={r}>
                      {roleLabels[r]}
                    </option>
                  ))}
                </select>
              </td>
              <td>{m.active ? 'Yes' : 'No'}</td>
              <td className="button-row">
                <button
                  type="button"
                  className="btn-small btn-secondary"
                  onClick={() => void update({ id: m.id, active: !m.active }).then(setError)}
                >
                  {m.active ? 'Deactivate' : 'Reactivate'}
                </button>
                <button
                  type="button"
                  className="btn-small btn-secondary"
                  onClick={() => {
                    const next = window.prompt(`New PIN for ${m.name} (4 to 8 digits)`);
                    if (next) void reset(m.id, next).then(setError);
                  }}
                >
                  Reset PIN
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form
        className="form-grid"
        onSubmit={(e) => {
          e.preventDefault();
          void add({ name, role, pin }).then((p) => {
            setError(p);
            if (!p) {
              setName('');
              setPin('');
            }
          });
        }}
      >
        <h3>Add a person</h3>
        <label>
          Name
          <input value={name} maxLength={40} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          Role
          <select value={role} onChange={(e) => setRole(e.target.value as StaffRole)}>
            {staffRoles.map((r) => (
              <option key={r} value={r}>
                {roleLabels[r]}
              </option>
            ))}
          </select>
        </label>
        <label>
          PIN (4 to 8 digits)
          <input
            type="password"
            inputMode="numeric"
            autoComplete="off"
            maxLength={8}
            value={pin}
            onChange={(e) => setPin(e.target.value)}
          />
        </label>
        <button type="submit" className="btn-ok" disabled={!name.trim() || pin.length === 0}>
          Add to staff
        </button>
      </form>
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
    </section>
  );
}
