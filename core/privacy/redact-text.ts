/**
 * Vendors echo the record back in their error messages ("Lead ann@x.com
 * already exists"); segflow stores those messages in the dead-letter queue
 * and prints them. Email addresses are replaced before either happens.
 */
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;

export function redactEmails(text: string): string {
  return text.replace(EMAIL, '<email>');
}
