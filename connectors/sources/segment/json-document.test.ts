import { describe, expect, it } from 'vitest';
import { looksLikeJsonDocument, splitJsonDocument } from './json-document.js';

describe('JSON documents in .json files', () => {
  it('tells a document from JSON Lines by its first line', () => {
    expect(looksLikeJsonDocument('[\n  {"type": "track"}\n]')).toBe(true);
    expect(looksLikeJsonDocument('{\n  "type": "track"\n}')).toBe(true);
    expect(looksLikeJsonDocument('{"type":"track","messageId":"1"}\n{"type":"track","messageId":"2"}\n')).toBe(false);
    expect(looksLikeJsonDocument('\uFEFF[{"type":"track"}]')).toBe(true);
  });

  it('locates each message of an array or batch at the line where it starts, braces inside strings included', () => {
    const text = '[\n  {"messageId": "a", "event": "x]},{"},\n\n  {"messageId": "b"}\n]';
    expect(splitJsonDocument(text)).toEqual({ ok: true, records: [
      { text: '{"messageId":"a","event":"x]},{"}', line: 2 },
      { text: '{"messageId":"b"}', line: 4 },
    ] });
    const batch = '{\n  "batch": [\n    {"messageId": "c"}\n  ],\n  "context": {}\n}';
    expect(splitJsonDocument(batch)).toEqual({ ok: true, records: [{ text: '{"messageId":"c"}', line: 3 }] });
  });

  it('says why a document is not messages', () => {
    expect(splitJsonDocument('"just text"')).toMatchObject({ ok: false, reason: expect.stringMatching(/^the document is a JSON string, not a message/) });
    expect(splitJsonDocument('[1,')).toMatchObject({ ok: false, reason: expect.stringMatching(/^not valid JSON/) });
  });
});
