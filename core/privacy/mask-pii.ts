/**
 * The one place segflow decides what personal data and secrets look like in
 * text it shows or keeps: vendor error messages (they echo the record back:
 * "Email address x@example is invalid", "phone +49 151 2345 6789"), dead
 * letters, sync summaries, log lines and quarantine samples. Masking is by
 * pattern, not by field name, because free text has no field names; it is
 * deliberately loose (masking a non-address costs a placeholder, missing one
 * leaks it). Text is masked first and only then cut: a cut can split a value
 * so that the half left behind no longer looks like what it is.
 */

export const PLACEHOLDERS = { email: '<email>', phone: '<phone>', card: '<card>', number: '<number>', secret: '<secret>' } as const;

/**
 * Anything with an @ (or its URL encoding) between delimiters; no dot
 * required after it, since vendors echo local and invalid addresses.
 */
export const EMAIL_PATTERN = /[^\s"'`<>()[\]{},;:@\\/?=&]+(?:@|%40)[^\s"'`<>()[\]{},;:@\\/?=&]+/gi;

/** Tokens whose shape gives them away wherever they appear: HubSpot private-app tokens, Stripe-like `sk_…` keys, bearer and basic credentials. */
const SECRET_SHAPES: readonly RegExp[] = [
  // A credential has a digit or a base64 sign somewhere: "Basic authentication" is prose.
  /\b(Bearer|Basic)\s+(?=[A-Za-z\-._~]*[0-9+/=])[A-Za-z0-9\-._~+/]{6,}=*/gi,
  /\bpat-[A-Za-z0-9]+-[A-Za-z0-9-]{6,}/gi,
  /\b(?:sk|rk|pk|whsec|wk)_[A-Za-z0-9_]{6,}/g,
];

/**
 * `key=…`, `token: …`, `"writeKey":"…"`: the value after a name that says
 * it is a secret, in query strings, headers and JSON alike. A bare `key`
 * counts only as `key=` (a record key in prose is not a secret).
 */
const SECRET_WORDS = 'token|secret|password|passwd|pwd|signature|credential|authorization';
const ASSIGNED_SECRET = new RegExp(`(\\b[\\w-]*(?:${SECRET_WORDS}|key)s?=)([^\\s&"'\\\\,;}]+)`, 'gi');
// After `token: ` in prose the value must look like a credential (8+ characters with a digit or a sign), so "the token: renew it" stays readable.
const FIELD_SECRET = new RegExp(`(\\b(?:[\\w-]*(?:${SECRET_WORDS})s?|[\\w-]+key)(?:\\s*:\\s+|\\\\?"\\s*:\\s*\\\\?"))(?!Bearer\\b|Basic\\b|[<[])(?=[^\\s&"'\\\\,;}]{8,})(?=[^\\s&"'\\\\,;}]*[\\d_\\-+/=])([^\\s&"'\\\\,;}]+)`, 'gi');

/**
 * ISO dates and times are left alone (they are everywhere in messages and
 * would otherwise read as 8+ digit runs); any other run of digits with
 * single separators between groups (spaces, dots, dashes, slashes, brackets)
 * is judged by its digit count.
 */
// Digits glued to letters or an underscore are part of a name (pe2052388266_cart_abandoned, an id), not a number on their own.
const DIGITS_OR_DATE = /\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?(?!\d)|(?<![A-Za-z_\d])\+?\(?\d+(?:(?:[ .\-/]|\)[ .\-/]?)\(?\d+)*\)?(?![A-Za-z_\d])/g;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?![\d])/;
/** Day/month/year shapes (13/01/2024, 1.2.26, optionally with an hour): a date in a bad format, not a phone number. */
const DATE_LIKE = /^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}(?: \d{1,2})?$/;
/** Phone numbers have at least 7 digits (a local number); 13 to 19 is a payment-card length (Luhn or not). */
const PHONE_DIGITS = 7;
const CARD_DIGITS = { min: 13, max: 19 };

/** Bounds the text masked, so a huge error page is not scanned whole. */
export const SCAN_CHARS = 16_384;

export interface MaskOptions {
  /** Cut the masked text to this many characters (ending in …). @default no cut */
  maxChars?: number;
  /** Fold whitespace runs (newlines of an HTML error page) into one space. @default false */
  collapseWhitespace?: boolean;
}

/** Masks e-mails, phone-shaped and card-shaped digit runs and secrets in free text, then cuts. */
export function maskPii(text: string, options: MaskOptions = {}): string {
  // What lies past the scan bound is dropped, not shown unmasked.
  let masked = text.length > SCAN_CHARS ? `${text.slice(0, SCAN_CHARS)}…` : text;
  for (const shape of SECRET_SHAPES) masked = masked.replace(shape, (_match, scheme?: string) => (typeof scheme === 'string' ? `${scheme} ${PLACEHOLDERS.secret}` : PLACEHOLDERS.secret));
  masked = masked
    .replace(ASSIGNED_SECRET, (_match, name: string) => `${name}${PLACEHOLDERS.secret}`)
    .replace(FIELD_SECRET, (_match, name: string) => `${name}${PLACEHOLDERS.secret}`)
    .replace(EMAIL_PATTERN, PLACEHOLDERS.email)
    .replace(DIGITS_OR_DATE, maskDigitRun);
  if (options.collapseWhitespace === true) masked = masked.replace(/\s+/g, ' ').trim();
  return cut(masked, options.maxChars);
}

function maskDigitRun(run: string): string {
  if (ISO_DATE.test(run) || DATE_LIKE.test(run)) return run;
  const digits = run.replace(/\D/g, '').length;
  if (digits < PHONE_DIGITS) return run;
  // A leading + is E.164 (up to 15 digits), never a card.
  const phone = digits < CARD_DIGITS.min || (run.startsWith('+') && digits <= 15);
  const label = phone ? PLACEHOLDERS.phone : digits <= CARD_DIGITS.max ? PLACEHOLDERS.card : PLACEHOLDERS.number;
  // A closing bracket the run swallowed without its opening one belongs to the text around it.
  const trailing = /\)$/.test(run) && !run.includes('(') ? ')' : '';
  return `${label}${trailing}`;
}

/**
 * segflow's own messages quote what they refused in double quotes
 * (`timestamp "…" in column "date" is not a valid date`): only the quoted
 * values are masked, so the message's own figures ("line is 5243014 bytes")
 * stay readable.
 */
export function maskQuotedValues(text: string): string {
  return text.replace(/"((?:[^"\\]|\\.)*)"/g, (_match, inner: string) => `"${maskPii(inner)}"`);
}

export function cut(text: string, maxChars: number | undefined): string {
  if (maxChars === undefined || text.length <= maxChars) return text;
  return `${text.slice(0, Math.max(0, maxChars - 1))}…`;
}

/**
 * Keys whose values are PII or secrets by name (exact names, and fragments
 * that mean a phone or a credential anywhere in a key: telephone,
 * phoneNumber, work_tel, apiKey, writeKey).
 */
const PII_KEY_NAMES =
  'email|e_mail|name|first_name|firstName|last_name|lastName|full_name|fullName|display_name|displayName|username|address|address1|address2|street|city|postal_code|postalCode|zip|zipcode|ip|ip_address|birthday|birthdate|date_of_birth|dob|ssn|iban|card|card_number|cardNumber|cc|pan|' +
  '[^"\\\\]*(?:phone|mobile|tel|fax|msisdn|whatsapp|email|password|passwd|secret|token|api_?key|write_?key|authorization|credit)[^"\\\\]*';
const PII_KEYS = new RegExp(`("(?:${PII_KEY_NAMES})"\\s*:\\s*)("(?:[^"\\\\]|\\\\.)*"|-?\\d[\\d.eE+-]*)`, 'gi');
export const REDACTED_VALUE = '"[redacted]"';

/**
 * JSON-aware masking for samples of rejected records: the values of keys
 * named like PII are replaced whole, everything else goes through
 * `maskPii`, and only then is the text cut. Works on text that is not
 * valid JSON (samples are often exactly that).
 */
export function maskPiiJson(sample: string, options: MaskOptions = {}): string {
  const byKey = (sample.length > SCAN_CHARS ? sample.slice(0, SCAN_CHARS) : sample).replace(PII_KEYS, `$1${REDACTED_VALUE}`);
  return maskPii(byKey, options);
}

/** Masks every string inside a JSON-like value (a summary, a log object), keys kept. */
export function maskPiiDeep<T>(value: T): T {
  if (typeof value === 'string') return maskPii(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => maskPiiDeep(item)) as T;
  if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, maskPiiDeep(item)])) as T;
  }
  return value;
}
