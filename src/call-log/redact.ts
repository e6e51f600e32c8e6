export const MAX_LOGGED_BODY_BYTES = 4096;
export const REDACTED = '[REDACTED]';

/** Field names whose values are never stored, whatever their nesting. */
const SECRET_KEY = /pass(word|wd|phrase)?|secret|token|authori[sz]ation|api[-_]?key|cookie|session|credential|private[-_]?key/i;
/** Values that look like credentials even under an innocent name. */
const SECRET_VALUE = /^(Bearer|Basic)\s+\S+|^eyJ[\w-]+\.[\w-]+\./i;

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 20) return '[too deep]';
  if (typeof value === 'string') return SECRET_VALUE.test(value) ? REDACTED : value;
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (value instanceof Date) return value;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, SECRET_KEY.test(key) ? REDACTED : redact(item, depth + 1)]),
    );
  }
  return value;
}

/** Redacted JSON, cut to MAX_LOGGED_BODY_BYTES; null for an absent body. */
export function bodyForLog(body: unknown): string | null {
  if (body === undefined || body === null || body === '') return null;
  if (typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0) return null;
  const text = JSON.stringify(redact(body)) ?? null;
  if (text === null) return null;
  // Every request passes here: most bodies are short, and measuring one needs no copy.
  if (text.length * 3 <= MAX_LOGGED_BODY_BYTES || Buffer.byteLength(text) <= MAX_LOGGED_BODY_BYTES) return text;
  const bytes = Buffer.from(text);
  const marker = `…[cut, ${bytes.length} bytes]`;
  // Cut on a UTF-8 boundary: never store half a character.
  let end = MAX_LOGGED_BODY_BYTES - Buffer.byteLength(marker);
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString() + marker;
}
