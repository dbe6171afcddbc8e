/**
 * Quarantine samples show a user what a rejected line looked like; they must
 * not become a copy of personal data. The masking itself lives in
 * mask-pii.ts (values of PII-named keys, then e-mails, phones, card-like
 * digit runs and secrets anywhere), applied before the sample is cut.
 */
import { maskPiiJson } from './mask-pii.js';

export const SAMPLE_CHARS = 200;

/**
 * What a source may hand over as a sample before redaction: enough that the
 * stored 200 characters are cut from redacted text, bounded so a huge record
 * is not copied whole.
 */
export const RAW_SAMPLE_LIMIT = 64 * 1024;

export function redactSample(sample: string, maxChars = SAMPLE_CHARS): string {
  return maskPiiJson(sample, { maxChars });
}
