/**
 * Vendors echo the record back in their error messages ("Lead ann@x.com
 * already exists", "phone +49 151 2345 6789 is invalid"); segflow stores
 * those messages in the dead-letter queue and prints them. Kept for its
 * callers: it now masks everything `maskPii` masks (e-mails, phones,
 * card-like digit runs, secrets), not e-mails alone.
 */
import { maskPii } from './mask-pii.js';

export { EMAIL_PATTERN } from './mask-pii.js';

export function redactEmails(text: string): string {
  return maskPii(text);
}
