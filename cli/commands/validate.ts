import { readFileSync } from 'node:fs';
import { formatIssue } from '../../core/config/config-issue.js';
import { parseMappingText, type LoadResult } from '../../core/config/load-mapping.js';
import { fullMappingSchema } from '../mapping-schema.js';

/**
 * Throws the Node system error (ENOENT, EACCES, EISDIR) when the file cannot
 * be read: that is not a problem *in* the mapping at 1:1, and the CLI prints
 * it as one line (`segflow: no such file or directory: PATH`).
 */
export function loadMapping(file: string): LoadResult {
  return parseMappingText(file, readFileSync(file, 'utf8'), fullMappingSchema());
}

/** `segflow validate FILE`: every problem, located, then a non-zero exit. */
export function validateCommand(file: string, write: (text: string) => void): number {
  const result = loadMapping(file);
  if (result.ok) {
    write(`${file}: ok (${result.mapping.sources.length} source(s), ${result.mapping.segments.length} segmentation(s))\n`);
    return 0;
  }
  for (const issue of result.issues) write(`${formatIssue(issue)}\n`);
  write(`${result.issues.length} problem${result.issues.length === 1 ? '' : 's'} in ${file}\n`);
  return 1;
}
