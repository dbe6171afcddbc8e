/**
 * Vendors echo the record back in their error messages ("Lead ann@x.com
 * already exists"); segflow stores those messages in the dead-letter queue
 * and prints them. Email addresses are replaced before either happens. The
 * pattern is deliberately loose (anything@anything between delimiters, no
 * dot required: vendors echo local or invalid addresses such as "x@example"):
 * masking a non-address costs nothing, missing one leaks it.
 */
export const EMAIL_PATTERN = /[^\s"'<>()[\],;:@]+@[^\s"'<>()[\],;:@]+/g;

export function redactEmails(text: string): string {
  return text.replace(EMAIL_PATTERN, '<email>');
}
