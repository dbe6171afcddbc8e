import { maskPii } from '../../../core/privacy/mask-pii.js';

/**
 * An endpoint's error body, made safe to show and to keep in the dead-letter
 * queue. Receivers echo what they got ("unknown contact ann@x.com, phone
 * +1 415 555 0100"); core/privacy/mask-pii.ts masks it (before the cut:
 * cutting first could leave half an address that no longer looks like one),
 * and whitespace is folded so an HTML error page stays one line.
 */
export const SNIPPET_CHARS = 200;

export function maskSnippet(text: string, maxChars = SNIPPET_CHARS): string {
  return maskPii(text, { maxChars, collapseWhitespace: true });
}
