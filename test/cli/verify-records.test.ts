/**
 * `verify` replays the enforcement records' own checks (ids, references, state, the archive lock): a record forged
 * straight into the log — signed, chained and indexed, but never checked — is reported with its issue code and path
 * and exit 1, while the ledger alone sees nothing; `--no-records` skips these checks; `--since` limits them to what
 * follows the trusted checkpoint.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveKinds } from '../../src/access';
import { readPrivateKeyFile } from '../../src/crypto/keyfile';
import { createSigner } from '../../src/crypto/signer';
import { KIND } from '../../src/domain/kind-names';
import { Ledger } from '../../src/ledger';
import type { CborValue, KindDefinition } from '../../src/ledger/types';
import { cli, cliJson, tempDir } from './helpers';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let D: string;
let forgedSeq: number;

beforeAll(async () => {
  tmp = await tempDir('el-cli-vr-');
  D = join(tmp.dir, 'demo');
  expect((await cli(['-q', 'demo', D])).code).toBe(0);
});
afterAll(() => tmp.cleanup());

describe('verify: enforcement record checks', () => {
  it('a clean demo: every record checked, no problem', async () => {
    const v = await cliJson('verify', ['-d', D, 'verify']);
    expect(v.ok).toBe(true);
    expect(v.records!.checked).toBeGreaterThan(50);
    expect(v.records!.problems).toEqual([]);
  });

  it('a document forged into the archived demo case is reported (case_archived), exit 1; --no-records skips it', async () => {
    const ck = await cliJson('checkpoint', ['-d', D, 'checkpoint', '--out', join(tmp.dir, 'before.cp')]);
    expect(ck.size).toBeGreaterThan(0);
    // A writer bypassing the append-time checks: same kinds without `check`, a registered officer's key.
    const unchecked: KindDefinition[] = archiveKinds().map(({ check: _check, ...d }) => d);
    const forger = await Ledger.open(join(D, 'ledger'), { kinds: unchecked });
    const officer = createSigner(await readPrivateKeyFile(join(D, 'keys', 'P-wang.pem')));
    const forged = await forger.append(
      {
        kind: KIND.document,
        body: {
          v: 1,
          documentId: 'DOC-FORGED',
          caseId: 'JC-2026-PEN-0001',
          type: 'INQUIRY_RECORD',
          officers: ['P-wang', 'P-li'],
          startedAt: Date.UTC(2026, 5, 1),
          signatures: { officers: true, party: 'signed' },
        } as CborValue,
      },
      officer,
    );
    forgedSeq = forged.seq;
    await forger.close();

    const r = await cli(['-d', D, '--json', 'verify']);
    expect(r.code).toBe(1);
    const v = JSON.parse(r.stdout);
    expect(v.problems).toEqual([]); // the log itself is sound
    expect(v.records.problems).toEqual([
      expect.objectContaining({
        seq: forgedSeq,
        code: 'RECORD_INVALID',
        issue: 'case_archived',
        path: 'body.caseId',
      }),
    ]);
    const human = await cli(['-d', D, '--lang', 'en', 'verify']);
    expect(human.code).toBe(1);
    expect(human.stdout).toContain(`#${forgedSeq} RECORD_INVALID case_archived body.caseId`);

    const skipped = await cliJson('verify', ['-d', D, 'verify', '--no-records']);
    expect(skipped.ok).toBe(true);
    expect(skipped.records).toBeNull();
  });

  it('--since a checkpoint taken before the forgery still finds it; one taken after trusts it', async () => {
    const before = await cli(['-d', D, '--json', 'verify', '--since', join(tmp.dir, 'before.cp')]);
    expect(before.code).toBe(1);
    expect(JSON.parse(before.stdout).records.problems.map((p: { seq: number }) => p.seq)).toEqual([
      forgedSeq,
    ]);
    await cliJson('checkpoint', ['-d', D, 'checkpoint', '--out', join(tmp.dir, 'after.cp')]);
    const after = await cliJson('verify', ['-d', D, 'verify', '--since', join(tmp.dir, 'after.cp')]);
    expect(after.records!.problems).toEqual([]);
    expect(after.ok).toBe(true);
  });
});
