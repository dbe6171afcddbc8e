/**
 * Splits a byte stream into lines without ever buffering more than
 * `maxLineBytes` of one line: a 5 MB (or 5 GB) line is skipped as it streams
 * and reported with its true length, instead of exhausting memory as
 * readline would. Works on Buffers so the byte offsets are exact for resume.
 */
export interface SplitLine {
  /** The line's text, or null when it was too long. */
  text: string | null;
  /** 1-based line number within the stream. */
  line: number;
  /** Byte length of the line (without the newline). */
  bytes: number;
  /** Byte offset just after this line's newline (the resume point). */
  endOffset: number;
}

export function createLineSplitter(maxLineBytes: number, startLine = 0, startOffset = 0) {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let oversized = false;
  let line = startLine;
  let offset = startOffset;

  function finishLine(tail: Buffer, out: SplitLine[]): void {
    const bytes = pendingBytes + tail.length;
    line++;
    offset += bytes + 1;
    if (oversized || bytes > maxLineBytes) {
      out.push({ text: null, line, bytes, endOffset: offset });
    } else {
      const whole = pending.length === 0 ? tail : Buffer.concat([...pending, tail], bytes);
      let end = whole.length;
      if (end > 0 && whole[end - 1] === 13) end--; // tolerate CRLF
      out.push({ text: whole.toString('utf8', 0, end), line, bytes, endOffset: offset });
    }
    pending = [];
    pendingBytes = 0;
    oversized = false;
  }

  return {
    /** Feeds one chunk; returns the complete lines it finished. */
    push(chunk: Buffer): SplitLine[] {
      const out: SplitLine[] = [];
      let start = 0;
      // A UTF-8 byte-order mark at the very start is not part of line 1
      // (but its bytes still count for offsets).
      if (offset === 0 && pendingBytes === 0 && line === 0 && chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
        start = 3;
        offset = 3;
      }
      let newline = chunk.indexOf(10, start);
      while (newline !== -1) {
        finishLine(chunk.subarray(start, newline), out);
        start = newline + 1;
        newline = chunk.indexOf(10, start);
      }
      if (start < chunk.length) {
        const rest = chunk.subarray(start);
        pendingBytes += rest.length;
        if (pendingBytes > maxLineBytes) {
          oversized = true;
          pending = []; // keep counting, stop buffering
        } else {
          // Copy: the stream may reuse its chunk buffer.
          pending.push(Buffer.from(rest));
        }
      }
      return out;
    },
    /** The unterminated last line, if any. */
    end(): SplitLine[] {
      const out: SplitLine[] = [];
      if (pendingBytes > 0) {
        const bytes = pendingBytes;
        finishLine(Buffer.alloc(0), out);
        // A final line without newline ends at the last byte, not one past it.
        const last = out[0]!;
        last.endOffset -= 1;
        last.bytes = bytes;
      }
      return out;
    },
  };
}
