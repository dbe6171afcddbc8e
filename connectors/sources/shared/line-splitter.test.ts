import { describe, expect, it } from 'vitest';
import { createLineSplitter } from './line-splitter.js';

describe('line splitter', () => {
  it('splits across chunk boundaries with exact byte offsets', () => {
    const splitter = createLineSplitter(100);
    const lines = [...splitter.push(Buffer.from('ab\ncd')), ...splitter.push(Buffer.from('e\r\nf')), ...splitter.end()];
    expect(lines.map((line) => [line.text, line.line, line.endOffset])).toEqual([
      ['ab', 1, 3],
      ['cde', 2, 8],
      ['f', 3, 9],
    ]);
  });

  it('skips an oversized line without buffering it, and reports its real length', () => {
    const splitter = createLineSplitter(10);
    const big = Buffer.alloc(5 * 1024 * 1024, 'x');
    const lines = [...splitter.push(Buffer.from('ok\n')), ...splitter.push(big.subarray(0, 1000)), ...splitter.push(big.subarray(1000)), ...splitter.push(Buffer.from('\nnext\n'))];
    expect(lines.map((line) => [line.text, line.line, line.bytes])).toEqual([
      ['ok', 1, 2],
      [null, 2, 5 * 1024 * 1024],
      ['next', 3, 4],
    ]);
  });

  it('handles multi-byte characters split between chunks', () => {
    const splitter = createLineSplitter(100);
    const bytes = Buffer.from('héllo\n');
    const lines = [...splitter.push(bytes.subarray(0, 2)), ...splitter.push(bytes.subarray(2))];
    expect(lines[0]?.text).toBe('héllo');
  });
});
