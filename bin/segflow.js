#!/usr/bin/env node
// The published entry point runs the compiled CLI (built by `npm ci` through the
// `prepare` script). During development use `npx tsx cli/main.ts`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
if (!existsSync(compiled)) {
  process.stderr.write('segflow: dist/ is missing; run `npm run build` (npm ci does it for you).\n');
  process.exit(2);
}
await import(compiled);
