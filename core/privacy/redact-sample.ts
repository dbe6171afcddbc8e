/**
 * Quarantine samples show a user what a rejected line looked like; they must
 * not become a copy of personal data. Email addresses anywhere, and the
 * values of keys that usually hold PII, are masked before a sample is stored,
 * and only then cut to length: cutting first can split a value so that the
 * half left behind ("canary-12345@example) no longer looks like what it is.
 */
import { EMAIL_PATTERN } from './redact-text.js';

export const SAMPLE_CHARS = 200;

/**
 * What a source may hand over as a sample before redaction: enough that the
 * stored 200 characters are cut from redacted text, bounded so a huge record
 * is not copied whole.
 */
export const RAW_SAMPLE_LIMIT = 64 * 1024;

/** Keys whose values are PII by name (exact), and key fragments that are phone-like anywhere in a key (telephone, phoneNumber, work_tel). */
const PII_KEYS = /("(?:email|e_mail|name|first_name|firstName|last_name|lastName|full_name|fullName|address|street|city|postal_code|postalCode|zip|ip|birthday|birthdate|ssn|[^"]*(?:phone|Phone|mobile|Mobile|tel|Tel|fax|Fax|msisdn|whatsapp|[Ee]mail)[^"]*)"\s*:\s*)("(?:[^"\\]|\\.)*"|-?\d[\d.eE+-]*)/gi;

export function redactSample(sample: string, maxChars = SAMPLE_CHARS): string {
  const redacted = sample.replace(PII_KEYS, '$1"[redacted]"').replace(EMAIL_PATTERN, '[email]');
  return redacted.length <= maxChars ? redacted : `${redacted.slice(0, maxChars - 1)}…`;
}
