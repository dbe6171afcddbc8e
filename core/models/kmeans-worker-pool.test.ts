import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { gaussianBlobs } from './kmeans-online-retail.test-support.js';
import { openKmeansPool } from './kmeans-worker-pool.js';
import { kmeansWorkers } from './kmeans-worker-threads.js';
import { kmeans } from './kmeans.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('the k-means worker pool', () => {
  it('starts its workers from the TypeScript sources (vitest, tsx)', async () => {
    const blobs = gaussianBlobs(70_000, 3, 4, 1);
    const pool = openKmeansPool(blobs, 2);
    try {
      expect(pool.threads).toBe(2);
      const partials = await pool.run({ kind: 'exact', k: 1, centres: new Float64Array(3), fromLabels: false });
      const counted = partials.filter((_, index) => index % 2 === 0).reduce((sum, value) => sum + value, 0);
      expect(counted).toBe(70_000);
    } finally {
      await pool.close();
    }
  });

  it('reuses the same warm worker threads across pools and keeps concurrent pools apart', async () => {
    expect(kmeansWorkers(2)[0]).toBe(kmeansWorkers(2)[0]);
    const first = gaussianBlobs(70_000, 3, 4, 2);
    const second = gaussianBlobs(80_000, 3, 5, 3);
    const alone = [await kmeans(first, { k: 4, seed: 1, nInit: 1, workers: 2 }), await kmeans(second, { k: 5, seed: 1, nInit: 1, workers: 2 })];
    const together = await Promise.all([
      kmeans(first, { k: 4, seed: 1, nInit: 1, workers: 2 }),
      kmeans(second, { k: 5, seed: 1, nInit: 1, workers: 2 }),
    ]);
    together.forEach((result, index) => {
      expect(result.inertia).toBe(alone[index]!.inertia);
      expect(result.labels).toEqual(alone[index]!.labels);
    });
  });

  it('stays on the calling thread for small data', () => {
    expect(openKmeansPool(gaussianBlobs(1_000, 2, 2, 1)).threads).toBe(0);
  });

  describe('from the compiled JavaScript (as dist/ runs it)', () => {
    const outDir = mkdtempSync(join(tmpdir(), 'segflow-kmeans-build-'));
    afterAll(() => rmSync(outDir, { recursive: true, force: true }));

    it('starts its workers and gives the in-thread result', async () => {
      const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
      // Only k-means, its worker entry (nothing imports it: the pool starts it by URL) and what
      // they import, with the build's settings: seconds, not the whole repo.
      execFileSync(process.execPath, [
        tsc, '--outDir', outDir, '--rootDir', ROOT, '--module', 'nodenext', '--moduleResolution', 'nodenext',
        '--target', 'es2022', '--strict', '--skipLibCheck', '--types', 'node',
        join(ROOT, 'core/models/kmeans.ts'), join(ROOT, 'core/models/kmeans-worker.ts'),
      ]);
      writeFileSync(join(outDir, 'package.json'), '{ "type": "module" }');
      const script = join(outDir, 'check.mjs');
      writeFileSync(script, `
        import { kmeans } from './core/models/kmeans.js';
        const rows = 70000, columns = 3, data = new Float64Array(rows * columns);
        for (let index = 0; index < data.length; index++) data[index] = ((index * 2654435761) % 1000) / 100 + (index % 7);
        const matrix = { rows, columns, data };
        const pooled = await kmeans(matrix, { k: 4, seed: 1, nInit: 1, workers: 2 });
        const inThread = await kmeans(matrix, { k: 4, seed: 1, nInit: 1, workers: 0 });
        console.log(JSON.stringify({ threads: pooled.threads, same: pooled.inertia === inThread.inertia && pooled.labels.every((label, row) => label === inThread.labels[row]) }));
      `);
      const output = execFileSync(process.execPath, [script], { cwd: outDir, encoding: 'utf8' });
      expect(JSON.parse(output.trim())).toEqual({ threads: 2, same: true });
    });
  });
});
