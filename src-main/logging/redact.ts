/**
 * Redaction of secrets and card numbers. Used by the logger on every record and by the Dojo
 * client on every error it builds from a Dojo answer, so neither a log line, a stored
 * `last_error`, a journal entry nor a message on screen can carry them.
 */

/** Dojo keys (`sk_sandbox_…`, `sk_prod_…`), in any case, even glued to other text. */
const DOJO_KEY = /sk_(sandbox|prod)_[A-Za-z0-9_-]+/gi;
/** Any other `sk_…` token that starts a word (so `task_list` is left alone). */
const SK_TOKEN = /(?<![A-Za-z0-9])sk_[A-Za-z0-9_-]{4,}/gi;
/**
 * A run of 12–19 digits, possibly split by single spaces or dashes, wherever it sits: glued to
 * letters or underscores too (`card4111…`, `pan_4111…`). Masked numbers (`****1111`) are too short.
 */
const CARD_RUN = /(?<!\d)\d(?:[ -]?\d){11,18}(?!\d)/g;

const MAX_DEPTH = 8;
export const TOO_DEEP = '[nested too deeply to log]';

const SENSITIVE_FIELD =
  /^(authorization|apikey|api_key|password|secret|pin|newPin|currentPin|managerPin|token)$/i;

/** Removes Dojo keys, any `sk_…` token, the given secrets and card-number runs from `text`. */
export function redactText(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    // A very short "secret" would shred ordinary words; real keys are long.
    if (secret.length >= 8) out = out.split(secret).join('[redacted]');
  }
  return out
    .replace(DOJO_KEY, (_m, kind: string) => `sk_${kind.toLowerCase()}_[redacted]`)
    .replace(SK_TOKEN, 'sk_[redacted]')
    .replace(CARD_RUN, '[card number redacted]');
}

/**
 * Redacts every string in `value`, drops sensitive fields by name, and replaces anything nested
 * deeper than the limit (which could otherwise smuggle a secret past the walk) by a marker.
 */
export function redact(value: unknown, secrets: readonly string[] = [], depth = 0): unknown {
  if (typeof value === 'string') return redactText(value, secrets);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return TOO_DEEP;
  if (Array.isArray(value)) return value.map((v) => redact(v, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] = SENSITIVE_FIELD.test(k) ? '[redacted]' : redact(v, secrets, depth + 1);
  }
  return out;
}

/** An EMV application id (`A0000000031010`) printed on card slips: digits after a letter. */
const AID_PREFIX = /[A-Za-z]$/;

/**
 * Masks card numbers in a line of Dojo's receipt: every run of 12–19 digits keeps only its last
 * four (`************1111`, separators kept). The application id (`A0000000031010`), which starts
 * with a letter and is required on the slip, is kept as is.
 */
export function maskCardNumbers(text: string): string {
  return text.replace(CARD_RUN, (run: string, offset: number) => {
    if (run.startsWith('0000') && AID_PREFIX.test(text.slice(0, offset))) return run;
    let keep = 4;
    let masked = '';
    for (let i = run.length - 1; i >= 0; i--) {
      const ch = run[i] ?? '';
      if (/\d/.test(ch) && keep-- <= 0) masked = '*' + masked;
      else masked = ch + masked;
    }
    return masked;
  });
}
