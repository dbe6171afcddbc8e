/**
 * A `.json` file that is one JSON document rather than JSON Lines: a
 * top-level array of Segment messages, a single message (pretty-printed or
 * not), or a batch payload `{"batch": [...]}` as Segment's HTTP API takes
 * it. Each message becomes one record, located at the line where it starts.
 */
export interface DocumentRecord {
  /** The message as compact JSON (what core parses and measures). */
  text: string;
  /** 1-based line of the file where the message starts. */
  line: number;
}

export type DocumentSplit = { ok: true; records: DocumentRecord[] } | { ok: false; reason: string };

const SHAPES = 'a .json file must be JSON Lines (one message per line), one JSON array of messages, one message object, or {"batch": [...]}';

/** Splits a whole document into its messages; the reason names the problem when it cannot. */
export function splitJsonDocument(text: string): DocumentSplit {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `not valid JSON (${(error as Error).message}); ${SHAPES}` };
  }
  const start = skipSpace(text, 0);
  const lines = createLineLocator(text);
  if (Array.isArray(value)) return { ok: true, records: records(value, arrayElementStarts(text, start), lines) };
  if (isObject(value) && value.type === undefined && Array.isArray(value.batch)) {
    const batchStart = lastValueStartOfKey(text, start, 'batch');
    return { ok: true, records: records(value.batch as unknown[], arrayElementStarts(text, batchStart), lines) };
  }
  if (isObject(value)) return { ok: true, records: [{ text: JSON.stringify(value), line: lines(start) }] };
  return { ok: false, reason: `the document is a JSON ${value === null ? 'null' : typeof value}, not a message; ${SHAPES}` };
}

/**
 * Whether a `.json` file's first bytes look like one document rather than
 * JSON Lines: it opens an array, or its first line alone is not a complete
 * JSON value (a pretty-printed object). A file whose first line is longer
 * than `head` is taken as JSON Lines (the line reader then enforces the size limit).
 */
export function looksLikeJsonDocument(head: string): boolean {
  const text = head.replace(/^\uFEFF/, '');
  const start = skipSpace(text, 0);
  if (text[start] === '[') return true;
  if (text[start] !== '{') return false;
  const newline = text.indexOf('\n', start);
  if (newline === -1) return false;
  try {
    JSON.parse(text.slice(start, newline));
    return false;
  } catch {
    return true;
  }
}

function records(values: readonly unknown[], starts: readonly number[], lines: (offset: number) => number): DocumentRecord[] {
  return values.map((value, index) => ({ text: JSON.stringify(value), line: lines(starts[index] ?? 0) }));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Line numbers for ascending offsets, counted once through the text. */
function createLineLocator(text: string): (offset: number) => number {
  let position = 0;
  let line = 1;
  return (offset) => {
    for (let index = text.indexOf('\n', position); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) {
      line++;
      position = index + 1;
    }
    return line;
  };
}

// The scanners below run on text JSON.parse has accepted, so they only
// need to find where values start and end, not to validate.

function arrayElementStarts(text: string, open: number): number[] {
  const starts: number[] = [];
  let index = skipSpace(text, open + 1);
  while (index < text.length && text[index] !== ']') {
    starts.push(index);
    index = skipSpace(text, skipValue(text, index));
    if (text[index] === ',') index = skipSpace(text, index + 1);
  }
  return starts;
}

/** Where the value of `key` starts in the object opening at `open` (the last one, as JSON.parse keeps). */
function lastValueStartOfKey(text: string, open: number, key: string): number {
  let found = -1;
  let index = skipSpace(text, open + 1);
  while (index < text.length && text[index] !== '}') {
    const keyEnd = skipValue(text, index);
    const name = JSON.parse(text.slice(index, keyEnd)) as string;
    const valueStart = skipSpace(text, skipSpace(text, keyEnd) + 1);
    if (name === key) found = valueStart;
    index = skipSpace(text, skipValue(text, valueStart));
    if (text[index] === ',') index = skipSpace(text, index + 1);
  }
  return found;
}

function skipValue(text: string, start: number): number {
  const first = text[start];
  if (first === '"') return skipString(text, start);
  if (first !== '{' && first !== '[') {
    let index = start;
    while (index < text.length && !',]} \t\r\n'.includes(text[index] as string)) index++;
    return index;
  }
  let depth = 0;
  for (let index = start; index < text.length; index++) {
    const character = text[index];
    if (character === '"') index = skipString(text, index) - 1;
    else if (character === '{' || character === '[') depth++;
    else if (character === '}' || character === ']') {
      depth--;
      if (depth === 0) return index + 1;
    }
  }
  return text.length;
}

/** From an opening quote to just after its closing quote. */
function skipString(text: string, start: number): number {
  for (let index = start + 1; index < text.length; index++) {
    if (text[index] === '\\') index++;
    else if (text[index] === '"') return index + 1;
  }
  return text.length;
}

function skipSpace(text: string, start: number): number {
  let index = start;
  while (index < text.length && ' \t\r\n\uFEFF'.includes(text[index] as string)) index++;
  return index;
}
