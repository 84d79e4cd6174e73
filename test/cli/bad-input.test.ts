/**
 * Bad input gives one line `error <CODE>: <message>` on stderr and the documented exit code, never a stack trace:
 * garbage files, a truncated bundle, a bundle of an unknown version, a missing folder, a locked ledger, wrong keys.
 * Mostly in process (`run`, what the bin calls); a few through the real bin (`spawn: true`): its exit code and stderr.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCanonical } from '../../src/encoding/cbor';
import { decodeCanonical } from '../../src/encoding/cbor';
import { EnforcementRecords } from '../../src/domain/records';
import type { CborValue } from '../../src/ledger/types';
import { cli, expectOneLineError, tempDir } from './helpers';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let D: string;
let bundle: Uint8Array;

beforeAll(async () => {
  tmp = await tempDir('el-cli-bad-');
  D = join(tmp.dir, 'demo');
  expect((await cli(['-q', 'demo', D])).code).toBe(0);
  const b = join(tmp.dir, 'case.bundle');
  expect((await cli(['-d', D, 'export-bundle', '--out', b, '--case', 'JC-2026-PEN-0001'])).code).toBe(0);
  bundle = new Uint8Array(await readFile(b));
});
afterAll(() => tmp.cleanup());

const file = async (name: string, data: string | Uint8Array) => {
  const p = join(tmp.dir, name);
  await writeFile(p, data);
  return p;
};

describe('bundles', () => {
  it('a garbage file', async () => {
    expectOneLineError(
      await cli(['verify-bundle', await file('garbage.bundle', 'not a bundle at all\n')], { spawn: true }),
      'BUNDLE_MALFORMED',
      2,
    );
  });

  it('a truncated bundle, at several cut points', async () => {
    for (const n of [1, 100, bundle.length >> 1, bundle.length - 1]) {
      const r = await cli(['--json', 'verify-bundle', await file(`cut-${n}.bundle`, bundle.subarray(0, n))]);
      expectOneLineError(r, 'BUNDLE_MALFORMED', 2);
      expect(JSON.parse(r.stdout).error.code).toBe('BUNDLE_MALFORMED');
    }
  });

  it('a bundle of an unknown version', async () => {
    const outer = decodeCanonical(bundle) as CborValue[];
    const payload = decodeCanonical(outer[1] as Uint8Array) as Record<string, CborValue>;
    const v2 = encodeCanonical([outer[0]!, encodeCanonical({ ...payload, v: 2 }), outer[2]!, outer[3]!]);
    const r = await cli(['verify-bundle', await file('v2.bundle', v2)]);
    expectOneLineError(r, 'BUNDLE_MALFORMED', 2);
    expect(r.stderr).toMatch(/unsupported bundle version 2/);
    // An unknown media type is refused the same way.
    const mt = encodeCanonical(['application/x-other-bundle', outer[1]!, outer[2]!, outer[3]!]);
    expectOneLineError(await cli(['verify-bundle', await file('mt.bundle', mt)]), 'BUNDLE_MALFORMED', 2);
  });

  it('a missing bundle file', async () => {
    expectOneLineError(
      await cli(['verify-bundle', join(tmp.dir, 'nope.bundle')], { spawn: true }),
      'STORAGE_NOT_FOUND',
      3,
    );
  });
});

describe('folders and ledgers', () => {
  it('a missing folder', async () => {
    for (const args of [['verify'], ['compliance'], ['checkpoint'], ['sample', '--k', '1']])
      expectOneLineError(await cli(['-d', join(tmp.dir, 'no-such-folder'), ...args]), 'STORAGE_NOT_FOUND', 3);
  });

  it('a folder that is not a ledger folder, or whose config is garbage', async () => {
    const other = join(tmp.dir, 'other');
    await mkdir(other);
    expectOneLineError(await cli(['-d', other, 'verify']), 'STORAGE_NOT_FOUND', 3);
    await writeFile(join(other, 'config.json'), '{ garbage');
    expectOneLineError(await cli(['-d', other, 'verify']), 'STORAGE_CORRUPT', 3);
  });

  it('a ledger locked by another process: writers refuse, verify reads a private copy (issue 13, finding 4)', async () => {
    const er = await EnforcementRecords.open(join(D, 'ledger'));
    try {
      for (const args of [['checkpoint'], ['compliance']]) {
        const r = await cli(['-d', D, ...args], { spawn: true });
        expectOneLineError(r, 'STORAGE_LOCKED', 3);
      }
      const v = await cli(['-d', D, 'verify'], { spawn: true });
      expect(v.code, v.stderr).toBe(0);
      expect(v.stdout).toMatch(/^OK: \d+ entries/);
    } finally {
      await er.ledger.close();
    }
    expect((await cli(['-d', D, 'verify'])).code).toBe(0);
  });
});

describe('keys and records', () => {
  const caseJson = JSON.stringify({
    kind: 'enf/obstruction',
    body: { obstructionId: 'O-1', caseId: 'JC-2026-PEN-0001', occurredAt: 1, description: 'x' },
  });

  it('a key file that is not a key', async () => {
    const bad = await file('bad.pem', '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n');
    expectOneLineError(
      await cli(['-d', D, 'append', '-', '--key', bad], { input: caseJson }),
      'CRYPTO_BAD_PEM',
      2,
    );
    const bin = await file('bin.pem', new Uint8Array([0xff, 0xfe, 0, 1, 2]));
    expectOneLineError(await cli(['-d', D, 'keys', 'show', bin]), 'CRYPTO_BAD_PEM', 2);
  });

  it('a valid key that the ledger does not know, and one without the role', async () => {
    expect((await cli(['-d', D, 'keys', 'generate', 'stranger'])).code).toBe(0);
    expectOneLineError(
      await cli(['-d', D, 'append', '-', '--key', 'stranger'], { input: caseJson }),
      'SIGNER_UNKNOWN',
      2,
    );
    // A device key may not open a case.
    const openCase = JSON.stringify({ kind: 'enf/case', body: { caseId: 'C-9' } });
    const r = await cli(['-d', D, 'append', '-', '--key', 'BC-0107'], { input: openCase });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error (ROLE_MISSING|VALIDATION_FAILED): [^\n]+\n$/);
  });

  it('a missing key file', async () => {
    expectOneLineError(await cli(['-d', D, 'checkpoint', '--key', 'nobody']), 'STORAGE_NOT_FOUND', 3);
  });

  it('a garbage record file, a float, a bad $bytes, an unknown field', async () => {
    const g = await file('garbage.json', '{"kind": "enf/case", "body": {');
    expectOneLineError(await cli(['-d', D, 'append', g, '--key', 'P-wang']), 'VALIDATION_FAILED', 2);
    const bad = JSON.stringify([{ kind: 'enf/case', body: { x: 1.5, y: { $bytes: 'abc' } }, extra: 1 }]);
    const r = await cli(['--json', '-d', D, 'append', '-', '--key', 'P-wang'], { input: bad, spawn: true });
    expectOneLineError(r, 'VALIDATION_FAILED', 2);
    expect(r.stderr).toMatch(/0\.extra: unrecognized_key/);
    expect(r.stderr).toMatch(/0\.body\.x: not_integer/);
    expect(r.stderr).toMatch(/0\.body\.y: invalid_bytes/);
  });

  it('a garbage checkpoint file', async () => {
    const g = await file('garbage-cp.txt', 'not a checkpoint');
    const r = await cli(['-d', D, 'verify', '--checkpoint', g]);
    expect([1, 2]).toContain(r.code);
    if (r.code === 2) expectOneLineError(r, '[A-Z_]+', 2);
    else expect(r.stdout).toMatch(/PROBLEMS|发现问题/);
    expectOneLineError(await cli(['-d', D, 'witness', 'cosign', g, '--key', 'root']), 'CRYPTO_BAD_NOTE', 2);
  });
});

describe('usage', () => {
  it('unknown subcommands and options, missing arguments, bad values', async () => {
    for (const args of [
      ['frobnicate'],
      ['verify', '--no-such-flag'],
      ['keys'],
      ['ingest'],
      ['--lang', 'fr', 'verify'],
      ['sample', '--k', 'x', '-d', 'demo'],
      ['-d', D, 'retention', 'schedule', '--at', 'next tuesday'],
      ['-d', D, '--now', '2026-13-01', 'retention', 'schedule'],
      ['-d', D, 'retention', 'purge', '--request-id', 'R', '--key', 'P-sun'],
      ['-d', D, 'retrieve', '--requester', 'P-wang', '--key', 'P-sun', '--out', 'x.bin'],
      ['-d', D, 'retrieve', '--seq', '-1', '--requester', 'P-wang', '--key', 'P-sun', '--out', 'x.bin'],
      ['-d', D, 'retrieve', '--digest', 'abc', '--requester', 'P-wang', '--key', 'P-sun', '--out', 'x.bin'],
      ['-d', D, 'retrieve', '--seq', '1', '--key', 'P-sun', '--out', 'x.bin'],
    ]) {
      const r = await cli(args, { cwd: tmp.dir });
      expectOneLineError(r, 'USAGE', 2);
    }
    expectOneLineError(await cli(['frobnicate'], { spawn: true }), 'USAGE', 2);
  });

  it('$EL_NOW that is not a time, and a retrieval of an entry or a digest the log does not have', async () => {
    expectOneLineError(
      await cli(['-d', D, 'retention', 'schedule'], { env: { EL_NOW: 'soon' } }),
      'USAGE',
      2,
    );
    const out = join(tmp.dir, 'never.bin');
    const base = ['-d', D, 'retrieve', '--requester', 'P-wang', '--key', 'P-sun', '--out', out];
    expectOneLineError(await cli([...base, '--seq', '100000']), 'NOT_FOUND', 2);
    expectOneLineError(await cli([...base, '--digest', 'ab'.repeat(32)]), 'NOT_FOUND', 2);
  });

  it('--help and --version exit 0', async () => {
    const h = await cli(['--help'], { spawn: true });
    expect(h.code).toBe(0);
    expect(h.stdout).toMatch(/verify-bundle/);
    expect(h.stdout).toMatch(/retention/);
    expect(h.stdout).not.toMatch(/--now/); // hidden: for tests and replays (docs/CLI.md)
    expect((await cli(['--version'], { spawn: true })).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
