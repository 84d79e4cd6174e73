/**
 * Issue 13, finding 2, from the command line: a granted retrieval appended through a `Ledger` opened without the
 * kinds (no index rows, no kind check) is reported by `verify --content` as RETRIEVAL_NO_APPROVAL, exit 1, beside the
 * ledger's own INDEX_MISSING for its rows.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACC } from '../../src/access';
import { readPrivateKeyFile } from '../../src/crypto/keyfile';
import { createSigner } from '../../src/crypto/signer';
import { Ledger } from '../../src/ledger';
import type { CborValue, StoredEntry } from '../../src/ledger/types';
import { cli, tempDir } from './helpers';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let D: string;

beforeAll(async () => {
  tmp = await tempDir('el-cli-bare-');
  D = join(tmp.dir, 'demo');
  expect((await cli(['-q', 'demo', D])).code).toBe(0);
});
afterAll(() => tmp.cleanup());

describe('verify --content: entries appended without their index rows', () => {
  it('a granted retrieval without approval is reported with its own code, exit 1', async () => {
    const bare = await Ledger.open(join(D, 'ledger'));
    const archivist = createSigner(await readPrivateKeyFile(join(D, 'keys', 'P-sun.pem')));
    let s: StoredEntry | undefined;
    for await (const e of bare.entries()) if (e.kind === 'enf/segment') s ??= e;
    if (!s) throw new Error('no segment in the demo');
    const { seq } = await bare.append(
      {
        kind: ACC.retrieval,
        body: {
          v: 1,
          requesterId: 'P-wang',
          caseId: (s.body as { caseId: string }).caseId,
          target: { seq: s.seq, digest: s.content[0]!.digest },
          outcome: 'granted',
          at: s.time,
        } as CborValue,
      },
      archivist,
    );
    await bare.close();

    const r = await cli(['-d', D, '--json', 'verify', '--content']);
    expect(r.code).toBe(1);
    const v = JSON.parse(r.stdout);
    expect(v.archive.findings).toEqual([
      expect.objectContaining({ code: 'RETRIEVAL_NO_APPROVAL', seqs: [seq], article: '24' }),
    ]);
    expect(v.archive.access.retrievals).toBe(1);
  });
});
