const MAX_PIN_DIGITS = 8;

/**
 * A manager PIN field: masked, numeric keypad on touch screens, never autofilled. Too long a PIN
 * is said at once rather than silently cut to 8 digits (which would then be a wrong PIN).
 */
export function PinField({
  label,
  value,
  onChange,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
}) {
  const tooLong = value.length > MAX_PIN_DIGITS;
  // One box (label, then the warning under it), so it stays one cell of the form grid.
  return (
    <div className="pin-field">
      <label>
        {label}
        <input
          type="password"
          inputMode="numeric"
          autoComplete="off"
          value={value}
          aria-invalid={tooLong ? true : undefined}
          onChange={(e) => onChange(e.target.value)}
        />
      </label>
      {tooLong && (
        <p role="alert" className="field-error">
          A manager PIN has at most {MAX_PIN_DIGITS} digits; this one has {value.length}.
        </p>
      )}
    </div>
  );
}
