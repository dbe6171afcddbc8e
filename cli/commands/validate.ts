import { formatIssue } from '../../core/config/config-issue.js';
import { loadMappingFile, type LoadResult } from '../../core/config/load-mapping.js';
import { fullMappingSchema } from '../mapping-schema.js';

export function loadMapping(file: string): LoadResult {
  return loadMappingFile(file, fullMappingSchema());
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
