/**
 * An endpoint's error body, made safe to show and to keep in the dead-letter
 * queue. Receivers echo what they got ("unknown contact ann@x.com, phone
 * +1 415 555 0100"), so anything holding an @ and any run of 7 or more digits
 * (spaces, dashes, dots and brackets between them allowed: phone numbers,
 * account numbers) are masked first, and only then is the text cut: cutting
 * first could leave half an address that no longer looks like one.
 */
const AT_TOKEN = /[^\s"'<>()[\]{},;:]*@[^\s"'<>()[\]{},;:]*/g;
const DIGIT_RUN = /\+?\d[\d\s().-]*\d/g;
const MIN_DIGITS = 7;
/** Bounds the text masked, so a huge error page is not scanned whole. */
const SCAN_CHARS = 8_192;
export const SNIPPET_CHARS = 200;

export function maskSnippet(text: string, maxChars = SNIPPET_CHARS): string {
  const masked = text
    .slice(0, SCAN_CHARS)
    .replace(AT_TOKEN, '<masked>')
    .replace(DIGIT_RUN, (run) => (run.replace(/\D/g, '').length >= MIN_DIGITS ? '<digits>' : run))
    .replace(/\s+/g, ' ')
    .trim();
  return masked.length <= maxChars ? masked : `${masked.slice(0, maxChars - 1)}…`;
}
