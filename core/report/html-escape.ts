/** Text into HTML: every user string (segment names are user text) goes through here. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => ESCAPES[character] as string);
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * JSON for a <script type="application/json"> element: `<` is escaped so no
 * string can close the element ("</script>") or open a comment, and the two
 * line separators JavaScript once refused are escaped too.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** An inlined script body: only a literal "</script" could end it early. */
export function inlineScript(source: string): string {
  return source.replace(/<\/script/gi, '<\\/script');
}
