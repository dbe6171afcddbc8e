import { writeFileSync } from 'node:fs';
import { mappingJsonSchema } from '../mapping-schema.js';

/** `segflow schema [--write PATH]`: the JSON Schema editors use to autocomplete mappings. */
export function schemaCommand(write: string | undefined): number {
  const text = mappingJsonSchema();
  if (write) writeFileSync(write, text);
  else process.stdout.write(text);
  return 0;
}
