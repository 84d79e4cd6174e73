/**
 * Atomic ingest: a child ingests a 200 MiB generated stream slowly and is SIGKILLed at random moments after it
 * reports progress. Each time, its partial temp file exists before reopening (the kill did interrupt an ingest);
 * reopening removes it, and objects/ holds nothing. A child left to finish does store the object.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toHex } from '../../src/bytes';
import { FsContentStore, hashFile } from '../../src/content';
import { generatedStream, listFiles, startChild, tempDir } from './helpers';

const { dir, cleanup } = tempDir('el-content-crash-');
afterAll(cleanup);

describe('ingest interrupted by SIGKILL', () => {
  it('leaves nothing visible in objects/, and open cleans tmp/ (6 random moments)', async () => {
    const root = join(dir, 'store');
    const full = await hashFile(generatedStream(200));
    for (let round = 0; round < 6; round++) {
      const child = await startChild(['slow', root, '200']);
      const wantProgress = 1 + Math.floor(Math.random() * 20);
      await child.waitFor(new RegExp(`^progress ${wantProgress * 1_048_576}$`));
      await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 100)));
      child.proc.kill('SIGKILL');
      await child.exited;
      expect(child.lines.some((l) => l.startsWith('done'))).toBe(false);
      expect(listFiles(join(root, 'tmp')).some((f) => f.endsWith('.data'))).toBe(true);
      const store = await FsContentStore.open(root);
      expect(listFiles(join(root, 'tmp'))).toEqual([]);
      expect(listFiles(join(root, 'objects'))).toEqual([]);
      expect(await store.has(full.digest)).toBe(false);
    }
  });

  it('the same child left to finish stores the object (the kill test is not vacuous)', async () => {
    const root = join(dir, 'store2');
    const child = await startChild(['slow', root, '3']);
    const line = await child.waitFor(/^done /);
    expect(await child.exited).toBe(0);
    const expected = await hashFile(generatedStream(3));
    expect(line).toBe(`done ${toHex(expected.digest)}`);
    const store = await FsContentStore.open(root);
    expect(await store.has(expected.digest)).toBe(true);
  });
});
