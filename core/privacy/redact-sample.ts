/**
 * Quarantine samples show a user what a rejected line looked like; they must
 * not become a copy of personal data. Email addresses anywhere, and the
 * values of keys that usually hold PII, are masked before a sample is stored.
 */
import { EMAIL_PATTERN } from './redact-text.js';

const PII_KEYS = /("(?:email|phone|phone_number|mobile|name|first_name|firstName|last_name|lastName|address|street|city|postal_code|zip|ip|birthday|ssn)"\s*:\s*)("(?:[^"\\]|\\.)*"|-?\d[\d.eE+-]*)/gi;

export function redactSample(sample: string): string {
  return sample.replace(PII_KEYS, '$1"[redacted]"').replace(EMAIL_PATTERN, '[email]');
}
