/**
 * Every subcommand end to end in a temporary folder, with its --json output checked against its documented schema
 * (src/cli/schemas.ts), and the human output in both languages. In process through `run(argv, io)` (what the bin
 * calls), except where marked `spawn: true`: those go through the real bin in a child process.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACC, archiveKinds } from '../../src/access';
import { ErrorOutput } from '../../src/cli/schemas';
import { writePrivateKeyFile } from '../../src/crypto/keyfile';
import { generateSeed } from '../../src/crypto/keys';
import { createSigner } from '../../src/crypto/signer';
import { EnforcementRecords } from '../../src/domain/records';
import { Ledger } from '../../src/ledger';
import { RET } from '../../src/retention';
import { at, cli, cliJson, cst, expectOneLineError, tempDir } from './helpers';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let D: string;
const T0 = Date.UTC(2026, 2, 3, 1, 30); // 2026-03-03 09:30 UTC+8
const MIN = 60_000;

beforeAll(async () => {
  tmp = await tempDir();
  D = join(tmp.dir, 'ledger-folder');
});
afterAll(() => tmp.cleanup());

const party = { name: '某某口腔诊所', kind: 'organisation' };

describe('an auditor’s session from init to compliance', () => {
  it('init creates the folder layout with a 0600 root key', async () => {
    // Through the real bin: the folder a user's first command makes.
    const out = await cliJson(
      'init',
      ['-d', D, 'init', '--origin', 'ledger.test/cli', '--agency-id', 'jc', '--agency-name', '测试卫健委'],
      { spawn: true },
    );
    expect(out.origin).toBe('ledger.test/cli');
    expect(out.checkpointKey.startsWith('ledger.test/cli+')).toBe(true);
    expect((await stat(join(D, 'keys/root.pem'))).mode & 0o777).toBe(0o600);
    for (const p of ['ledger', 'content', 'config.json']) expect(await stat(join(D, p))).toBeTruthy();
    // A second init refuses to overwrite.
    expectOneLineError(await cli(['-d', D, 'init'], { spawn: true }), 'STORAGE_EXISTS', 3);
  });

  it('keys generate and keys show, before and after registration', async () => {
    for (const k of ['wang', 'li', 'cam', 'wit', 'cp']) {
      const g = await cliJson('keys generate', ['-d', D, 'keys', 'generate', k]);
      expect(g.file).toBe(join(D, 'keys', `${k}.pem`));
      expect((await stat(g.file)).mode & 0o777).toBe(0o600);
    }
    const s = await cliJson('keys show', ['-d', D, 'keys', 'show', 'wang']);
    expect(s.registered).toBeNull();
    const root = await cliJson('keys show', ['-d', D, 'keys', 'show', 'root']);
    expect(root.registered).toMatchObject({ principal: 'root', roles: ['admin'] });
  });

  it('register officer, device and role', async () => {
    const o = await cliJson('register', [
      '-d',
      D,
      'register',
      'officer',
      '--key',
      'wang',
      '--id',
      'P-wang',
      '--name',
      '王军',
      '--cert',
      '14050012001',
    ]);
    expect(o.entries.map((e) => e.kind)).toEqual(['enf/person', 'core/key.register']);
    await cliJson('register', [
      '-d',
      D,
      'register',
      'officer',
      '--key',
      'li',
      '--id',
      'P-li',
      '--name',
      '李娜',
      '--cert',
      '14050012002',
    ]);
    const d = await cliJson('register', [
      '-d',
      D,
      'register',
      'device',
      '--key',
      'cam',
      '--id',
      'BC-1',
      '--serial',
      'DSJ-1',
      '--assigned-officer',
      'P-wang',
    ]);
    expect(d.roles).toEqual(['device']);
    const r = await cliJson('register', [
      '-d',
      D,
      'register',
      'role',
      '--key',
      'cp',
      '--principal',
      'checkpoint-service',
      '--roles',
      'checkpointer',
    ]);
    expect(r.entries.map((e) => e.kind)).toEqual(['core/key.register']);
    const s = await cliJson('keys show', ['-d', D, 'keys', 'show', 'wang']);
    expect(s.registered).toMatchObject({ principal: 'P-wang', roles: ['officer'] });
  });

  it('append from a file and from stdin (an array, atomically)', async () => {
    const file = join(tmp.dir, 'case.json');
    await writeFile(
      file,
      JSON.stringify({
        kind: 'enf/case',
        body: {
          caseId: 'C-1',
          agencyId: 'jc',
          matterType: 'penalty',
          documentNumber: '晋卫罚〔2026〕9号',
          title: '测试案',
          target: party,
          openedAt: T0 - 60 * MIN,
          officers: ['P-wang', 'P-li'],
        },
      }),
    );
    const a = await cliJson('append', ['-d', D, 'append', file, '--key', 'wang']);
    expect(a.entries.map((e) => e.kind)).toEqual(['enf/case']);
    const batch = [
      {
        kind: 'enf/action.start',
        body: {
          actionId: 'A-1',
          caseId: 'C-1',
          actionTypes: ['on_site_inspection'],
          officers: ['P-wang', 'P-li'],
          target: party,
          location: '某路 1 号',
          startedAt: T0,
        },
      },
    ];
    const b = await cliJson('append', ['-d', D, 'append', '-', '--key', 'wang'], {
      input: JSON.stringify(batch),
    });
    expect(b.entries.map((e) => e.kind)).toEqual(['enf/action.start']);
    expect(b.entries[0]!.seq).toBe(a.entries[0]!.seq + 1);
  });

  it('ingest stores media and chains the session’s segments', async () => {
    const media = join(tmp.dir, 'seg.mp4');
    await writeFile(
      media,
      new Uint8Array(3 << 20).map((_, i) => (i * 7) & 255),
    );
    const s1 = await cliJson('ingest', [
      '-d',
      D,
      'ingest',
      media,
      '--key',
      'cam',
      '--case',
      'C-1',
      '--action',
      'A-1',
      '--segment-id',
      'SEG-1',
      '--session',
      'S-1',
      '--start',
      '2026-03-03T09:30',
      '--end',
      '2026-03-03T09:40',
    ]);
    expect(s1.segment).toMatchObject({ position: 0, prevDigest: null });
    expect(s1.content.size).toBe(3 << 20);
    const media2 = join(tmp.dir, 'seg2.mp4');
    await writeFile(media2, 'second segment');
    const s2 = await cliJson('ingest', [
      '-d',
      D,
      'ingest',
      media2,
      '--key',
      'cam',
      '--case',
      'C-1',
      '--action',
      'A-1',
      '--segment-id',
      'SEG-2',
      '--session',
      'S-1',
      '--start',
      String(T0 + 10 * MIN),
      '--end',
      String(T0 + 20 * MIN),
    ]);
    expect(s2.segment).toMatchObject({ position: 1, prevDigest: s1.content.digest });
  });

  let cp1 = '';
  it('checkpoint, then verify with --content, --checkpoint and --since', async () => {
    cp1 = join(tmp.dir, 'cp1.txt');
    const c = await cliJson('checkpoint', ['-d', D, 'checkpoint', '--out', cp1]);
    expect(await readFile(cp1, 'utf8')).toBe(c.note);
    expect(c.note.split('\n')[0]).toBe('ledger.test/cli');
    const v = await cliJson('verify', ['-d', D, 'verify', '--content', '--checkpoint', cp1]);
    expect(v).toMatchObject({ ok: true, checkpoints: 1, problems: [] });
    expect(v.content).toMatchObject({ files: 2, ok: 2, problems: [] });
    expect(v.size).toBe(c.size + 1); // the checkpoint entry itself
    const inc = await cliJson('verify', ['-d', D, 'verify', '--since', cp1]);
    expect(inc).toMatchObject({ ok: true, since: c.size });
    expect(inc.stats.signatures).toBeLessThan(v.stats.signatures);
    const zh = await cli(['-d', D, '--lang', 'zh', 'verify']);
    expect(zh.code).toBe(0);
    expect(zh.stdout).toMatch(/^核验通过：/);
    const en = await cli(['-d', D, 'verify'], { env: { LANG: 'en_US.UTF-8' } });
    expect(en.stdout).toMatch(/^OK: /);
    const fromLocale = await cli(['-d', D, 'verify'], { env: { LANG: 'zh_CN.UTF-8' } });
    expect(fromLocale.stdout).toMatch(/^核验通过/);
  });

  it('witness cosign checks consistency across checkpoints and records the cosignature', async () => {
    const state = join(tmp.dir, 'witness-state.json');
    const w1 = await cliJson('witness cosign', [
      '-d',
      D,
      'witness',
      'cosign',
      cp1,
      '--key',
      'wit',
      '--name',
      'witness.test',
      '--state',
      state,
    ]);
    expect(w1).toMatchObject({ oldSize: 0, witness: 'witness.test', recorded: null });
    const cp2 = join(tmp.dir, 'cp2.txt');
    await cliJson('checkpoint', ['-d', D, 'checkpoint', '--out', cp2]);
    // Only the manifest's checkpoint key signs checkpoints.
    expectOneLineError(await cli(['-d', D, 'checkpoint', '--key', 'cp']), 'CHECKPOINT_KEY_MISMATCH', 2);
    const out = join(tmp.dir, 'cp2.cosigned.txt');
    // A key with the checkpointer role records the cosignature.
    const w2 = await cliJson('witness cosign', [
      '-d',
      D,
      'witness',
      'cosign',
      cp2,
      '--key',
      'wit',
      '--name',
      'witness.test',
      '--state',
      state,
      '--record',
      '--admin',
      'cp',
      '--out',
      out,
    ]);
    expect(w2.oldSize).toBe(w1.size);
    expect(w2.recorded).toBeGreaterThan(w2.size);
    expect(await readFile(out, 'utf8')).toContain(w2.line);
    // Presenting the old checkpoint again is refused: the witness already cosigned a larger tree.
    const again = await cli([
      '-d',
      D,
      'witness',
      'cosign',
      cp1,
      '--key',
      'wit',
      '--name',
      'witness.test',
      '--state',
      state,
    ]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/^error WITNESS_[A-Z_]+: [^\n]+\n$/);
  });

  it('compliance of one case and of the ledger; exit 1 with violations', async () => {
    const clean = await cliJson('compliance', ['-d', D, 'compliance', '--case', 'C-1']);
    expect(clean.compliant).toBe(true);
    // The action ends at 10:10, but AV stopped at 09:50: a 20-minute gap (Art. 17).
    await cliJson('append', ['-d', D, 'append', '-', '--key', 'wang'], {
      input: JSON.stringify({
        kind: 'enf/action.end',
        body: { actionId: 'A-1', caseId: 'C-1', endedAt: T0 + 40 * MIN },
      }),
    });
    const c = await cliJson('compliance', ['-d', D, 'compliance', '--case', 'C-1'], { expectCode: 1 });
    expect(c.scope).toBe('case');
    expect(c.compliant).toBe(false);
    expect(c.violations).toBeGreaterThan(0);
    expect(c.cases[0]!.findings.filter((f) => f.code === 'gap').map((f) => f.article)).toEqual(['17']);
    const all = await cliJson('compliance', ['-d', D, 'compliance'], { expectCode: 1 });
    expect(all.scope).toBe('ledger');
    expect(all.cases.map((x) => x.caseId)).toEqual(['C-1']);
    expectOneLineError(await cli(['-d', D, 'compliance', '--case', 'NOPE']), 'NOT_FOUND', 2);
  });

  it('verify --content finds and locates an altered media file (exit 1)', async () => {
    const v0 = await cliJson('verify', ['-d', D, 'verify', '--content']);
    const { readdir } = await import('node:fs/promises');
    // Flip one byte of the largest stored object.
    const objects = join(D, 'content', 'objects');
    const files: string[] = [];
    const walk = async (p: string): Promise<void> => {
      for (const e of await readdir(p, { withFileTypes: true }))
        if (e.isDirectory()) await walk(join(p, e.name));
        else files.push(join(p, e.name));
    };
    await walk(objects);
    const sizes = await Promise.all(files.map(async (f) => ({ f, s: (await stat(f)).size })));
    const big = sizes.sort((a, b) => b.s - a.s)[0]!.f;
    const { chmod } = await import('node:fs/promises');
    await chmod(big, 0o644);
    const bytes = await readFile(big);
    bytes[(2 << 20) + 5] = bytes[(2 << 20) + 5]! ^ 1;
    await writeFile(big, bytes);
    const v = await cliJson('verify', ['-d', D, 'verify', '--content'], { expectCode: 1 });
    expect(v.ok).toBe(false);
    expect(v.problems).toEqual([]); // the log itself is intact
    expect(v.content!.problems).toHaveLength(1);
    expect(v.content!.problems[0]).toMatchObject({ code: 'CONTENT_MODIFIED' });
    expect(v.content!.problems[0]!.message).toContain(`[${2 << 20}, ${3 << 20})`);
    expect(v.content!.files).toBe(v0.content!.files);
  });
});

describe('demo', () => {
  it('builds, checkpoints, verifies and checks the penalty case', async () => {
    const dir = join(tmp.dir, 'demo');
    const d = await cliJson('demo', ['demo', dir]);
    expect(d).toMatchObject({
      caseId: 'JC-2026-PEN-0001',
      verify: { ok: true, problems: 0 },
      compliance: { compliant: true },
    });
    expect(d.content.ok).toBe(d.content.files);
    // The folder it leaves is a working ledger folder: its keys sign, its checkpoint verifies.
    const v = await cliJson('verify', ['-d', dir, 'verify', '--checkpoint', d.checkpoint]);
    expect(v.ok).toBe(true);
    const k = await cliJson('keys show', ['-d', dir, 'keys', 'show', 'BC-0107']);
    expect(k.registered).toMatchObject({ principal: 'BC-0107', roles: ['device'] });
  });

  it('with an injected gap reports it under Art. 17 and exits 1', async () => {
    const d = await cliJson('demo', ['demo', join(tmp.dir, 'demo-gap'), '--defect', 'unexcused_gap'], {
      expectCode: 1,
    });
    expect(d.compliance.findings).toEqual([{ article: '17', code: 'gap', severity: 'violation' }]);
    const human = await cli([
      '--lang',
      'en',
      'demo',
      join(tmp.dir, 'demo-gap-2'),
      '--defect',
      'unexcused_gap',
    ]);
    expect(human.code).toBe(1);
    expect(human.stdout).toMatch(/Art\. 17 gap: AV of action ACT-1 stops for 10/);
  });
});

describe('sampling and proof bundles', () => {
  const NONCE = '11'.repeat(32);
  let dir: string;
  beforeAll(async () => {
    dir = join(tmp.dir, 'demo-sample');
    expect((await cli(['-q', 'demo', dir])).code).toBe(0);
  });

  it('sample draws reproducibly from the inspector’s nonce', async () => {
    const a = await cliJson('sample', ['-d', dir, 'sample', '--k', '1', '--nonce', NONCE]);
    expect(a).toMatchObject({ nonce: NONCE, population: 1, selected: ['JC-2026-PEN-0001'] });
    const b = await cliJson('sample', ['-d', dir, 'sample', '--k', '1', '--nonce', NONCE]);
    expect(b.seed).toBe(a.seed);
    const c = await cliJson('sample', ['-d', dir, 'sample', '--k', '1', '--nonce', '22'.repeat(32)]);
    expect(c.seed).not.toBe(a.seed);
  });

  it('export-bundle of a sample, verify-bundle checks the sample against the nonce', async () => {
    const file = join(tmp.dir, 'sample.bundle');
    const e = await cliJson('export-bundle', [
      '-d',
      dir,
      'export-bundle',
      '--out',
      file,
      '--sample',
      '1',
      '--nonce',
      NONCE,
    ]);
    expect(e).toMatchObject({ cases: ['JC-2026-PEN-0001'], nonce: NONCE });
    expect((await stat(file)).size).toBe(e.bytes);
    const logKey = (await cliJson('verify-bundle', ['verify-bundle', file], { expectCode: 1 })).keys.log!;
    const v = await cliJson('verify-bundle', ['verify-bundle', file, '--nonce', NONCE, '--log-key', logKey]);
    expect(v).toMatchObject({ ok: true, verified: true, root: e.root, size: e.size });
    expect(v.checks.sample!.status).toBe('passed');
    // Another nonce: the sample was not drawn with it.
    const w = await cliJson(
      'verify-bundle',
      ['verify-bundle', file, '--nonce', '22'.repeat(32), '--log-key', logKey],
      { expectCode: 1 },
    );
    expect(w.verified).toBe(false);
    expect(w.checks.sample!.status).toBe('failed');
    expect(w.problems.map((p) => p.code)).toEqual(['SAMPLE_NONCE_MISMATCH']);
  });
});

/** China Standard Time wall clock → ms. */
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const CASE = 'JC-2026-PEN-0001';

describe('retention and access', () => {
  let dir: string;
  /** Runs with the clock at `at` ($EL_NOW): append times, expiries and approval windows. */
  const appendJson = (record: object, key: string, t: number) =>
    cliJson('append', ['-d', dir, 'append', '-', '--key', key], { input: JSON.stringify(record), ...at(t) });
  const size = async () => (await cliJson('verify', ['-d', dir, 'verify'])).size;
  let seg1: { seq: number; digest: string };
  let doc1: { seq: number; digest: string };

  beforeAll(async () => {
    dir = join(tmp.dir, 'demo-archive');
    expect((await cli(['-q', 'demo', dir])).code).toBe(0);
  });

  it('a folder made by init declares the retention and access kinds; schedule lists its media', async () => {
    const k = await cliJson('declare-kinds', ['-d', D, 'declare-kinds']);
    expect(k).toMatchObject({ declared: [], entries: [] });
    const s = await cliJson('retention schedule', ['-d', D, 'retention', 'schedule', '--at', '2026-09-05']);
    // The two segments ingested above. C-1 is still open, so whether they are evidence is not settled (Art. 22(3)):
    // pending, never purgeable, although their six months (from 2026-03-03) have run.
    expect(s.items.map((i) => [i.kind, i.recordId, i.state, i.pendingReason, i.expiresAt])).toEqual([
      ['enf/segment', 'SEG-1', 'pending', 'case_open', null],
      ['enf/segment', 'SEG-2', 'pending', 'case_open', null],
    ]);
    expect(s.counts).toMatchObject({ total: 2, scheduled: 0, pending: 2, purgeable: 0 });
  });

  it('a folder made before the retention kinds still verifies, and declare-kinds upgrades it', async () => {
    const old = join(tmp.dir, 'old-folder');
    await mkdir(join(old, 'keys'), { recursive: true });
    await mkdir(join(old, 'content'));
    const seed = generateSeed();
    await writePrivateKeyFile(join(old, 'keys', 'root.pem'), seed);
    const er = await EnforcementRecords.create(join(old, 'ledger'), {
      origin: 'ledger.test/old',
      signer: createSigner(seed),
    });
    await er.ledger.close();
    await writeFile(
      join(old, 'config.json'),
      JSON.stringify({
        format: 'enforcement-ledger/folder@1',
        origin: 'ledger.test/old',
        ruleSet: 'jincheng-2024',
        createdAt: new Date(0).toISOString(),
      }),
    );
    expect((await cliJson('verify', ['-d', old, 'verify', '--content'])).ok).toBe(true);
    const r = await cli([
      '-d',
      old,
      'retention',
      'purge',
      '--purge-id',
      'X',
      '--request-id',
      'Y',
      '--key',
      'root',
    ]);
    expectOneLineError(r, 'KIND_UNDECLARED', 2);
    expect(r.stderr).toMatch(/declare-kinds/);
    const k = await cliJson('declare-kinds', ['-d', old, 'declare-kinds']);
    expect(k.declared).toEqual(expect.arrayContaining([RET.purge, RET.purgeRequest, ACC.retrieval]));
    expect(k.entries.map((e) => e.kind)).toEqual(k.declared.map(() => 'core/kind.declare'));
    expect((await cliJson('declare-kinds', ['-d', old, 'declare-kinds'])).declared).toEqual([]);
    expect((await cliJson('verify', ['-d', old, 'verify'])).ok).toBe(true);
  });

  it('schedule lists every file of the case with its class and expiry, as of --at', async () => {
    const june = await cliJson('retention schedule', [
      '-d',
      dir,
      'retention',
      'schedule',
      '--case',
      CASE,
      '--at',
      '2026-06-01',
    ]);
    expect(june).toMatchObject({ caseId: CASE, at: cst(2026, 6, 1) });
    const segs = june.items.filter((i) => i.kind === 'enf/segment');
    const docs = june.items.filter((i) => i.kind === 'enf/document');
    expect(segs.length).toBeGreaterThan(0);
    expect(docs.length).toBeGreaterThan(0);
    expect(june.items.every((i) => i.caseId === CASE)).toBe(true);
    expect(june.counts.purgeable).toBe(0);
    const s1 = segs.find((i) => i.recordId === 'SEG-1')!;
    expect(s1).toMatchObject({ retentionClass: 'AV', basis: 'av_recording', expiresAt: cst(2026, 9, 4) });
    // The case file (archived 2026-04-22) is D30: thirty whole years from 2027-01-01.
    expect(docs.every((i) => i.retentionClass === 'D30' && i.expiresAt === cst(2057, 1, 1))).toBe(true);
    seg1 = { seq: s1.seq, digest: s1.digest };
    const d1 = docs.find((i) => i.recordId === 'DOC-1')!;
    doc1 = { seq: d1.seq, digest: d1.digest };
    // One millisecond before expiry SEG-1 is not purgeable; at expiry it is.
    const before = await cliJson('retention schedule', [
      '-d',
      dir,
      'retention',
      'schedule',
      '--at',
      String(cst(2026, 9, 4) - 1),
    ]);
    expect(before.items.find((i) => i.seq === seg1.seq)!.purgeable).toBe(false);
    const on = await cliJson('retention schedule', [
      '-d',
      dir,
      'retention',
      'schedule',
      '--at',
      '2026-09-04',
    ]);
    expect(on.items.find((i) => i.seq === seg1.seq)!.purgeable).toBe(true);
    expect(on.items.find((i) => i.seq === doc1.seq)!.purgeable).toBe(false);
    const zh = await cli(['-d', dir, '--lang', 'zh', 'retention', 'schedule', '--at', '2026-09-04']);
    expect(zh.stdout).toMatch(/^保存期限表（截至 2026-09-04 00:00/);
    expect(zh.stdout).toMatch(/SEG-1 AV 2026-09-04 00:00 [0-9a-f]{16}… 可销毁/);
  });

  it('purge before expiry, or without the head’s approval, is refused and deletes nothing', async () => {
    const targets = [{ seq: seg1.seq, digest: { $bytes: seg1.digest } }];
    await appendJson(
      {
        kind: 'ret/purge.request',
        body: { requestId: 'PR-1', caseId: CASE, targets, reason: '保存期满', requestedAt: cst(2026, 5, 1) },
      },
      'P-sun',
      cst(2026, 5, 1),
    );
    await appendJson(
      {
        kind: 'enf/approval.purge',
        body: {
          approvalId: 'PA-1',
          decision: 'approved',
          decidedAt: cst(2026, 5, 2),
          caseId: CASE,
          targets,
          reason: '同意销毁',
        },
      },
      'P-chen',
      cst(2026, 5, 2),
    );
    const n = await size();
    const purge = ['-d', dir, 'retention', 'purge', '--purge-id', 'PG-1', '--request-id', 'PR-1'];
    const early = await cli([
      '--json',
      '--now',
      '2026-06-01',
      ...purge,
      '--approval-id',
      'PA-1',
      '--key',
      'P-sun',
    ]);
    expectOneLineError(early, 'PURGE_BEFORE_EXPIRY', 2);
    expect(early.stderr).toMatch(/entry \d+ \(AV\) is retained until/);
    const err = ErrorOutput.parse(JSON.parse(early.stdout)).error;
    expect(err).toMatchObject({
      code: 'PURGE_BEFORE_EXPIRY',
      exit: 2,
      problems: [{ code: 'PURGE_BEFORE_EXPIRY' }],
    });
    // No approval: every reason is listed; the first is the code.
    const bare = await cli(['--json', '--now', '2026-09-05', ...purge, '--key', 'P-sun']);
    expectOneLineError(bare, 'PURGE_NO_APPROVAL', 2);
    expect(ErrorOutput.parse(JSON.parse(bare.stdout)).error.problems!.map((p) => p.code)).toEqual([
      'PURGE_NO_APPROVAL',
    ]);
    // The head may not carry out a purge (archivist or system).
    expect(
      (await cli(['--now', '2026-09-05', ...purge, '--approval-id', 'PA-1', '--key', 'P-chen'])).code,
    ).toBe(2);
    expect(await size()).toBe(n);
    const v = await cliJson('verify', ['-d', dir, 'verify', '--content']);
    expect(v.content).toMatchObject({ purged: 0, problems: [] });
    expect(v.content!.ok).toBe(v.content!.files);
  });

  it('a lawful purge after expiry removes the file, keeps the entries, and verifies', async () => {
    const args = ['-d', dir, 'retention', 'purge', '--purge-id', 'PG-1', '--request-id', 'PR-1'];
    const p = await cliJson(
      'retention purge',
      [...args, '--approval-id', 'PA-1', '--key', 'P-sun'],
      at(cst(2026, 9, 5)),
    );
    expect(p).toMatchObject({ purgeId: 'PG-1', resumed: false, targets: [seg1], removed: [seg1.digest] });
    expect(p.entry).toMatchObject({ seq: p.purgeSeq, kind: RET.purge, time: cst(2026, 9, 5) });
    const s = await cliJson('retention schedule', ['-d', dir, 'retention', 'schedule', '--case', CASE]);
    expect(s.items.find((i) => i.seq === seg1.seq)).toMatchObject({ purgedBy: p.purgeSeq, purgeable: false });
    const v = await cliJson('verify', ['-d', dir, 'verify', '--content']);
    expect(v).toMatchObject({ ok: true, problems: [] });
    expect(v.content).toMatchObject({ purged: 1, problems: [] });
    expect(v.archive).toMatchObject({
      ok: true,
      findings: [],
      retention: { purges: 1, purged: 1, missing: 0 },
    });
    // Running it again (as after a crash) finds the purge recorded and nothing left to delete.
    const again = await cliJson('retention purge', [...args, '--approval-id', 'PA-1', '--key', 'P-sun']);
    expect(again).toMatchObject({ purgeSeq: p.purgeSeq, resumed: true, removed: [] });
  });

  let refusalSeq = -1;
  it('retrieve without an approval is refused, the refusal is in the ledger, nothing is written', async () => {
    const out = join(tmp.dir, 'doc1.bin');
    const args = [
      '-d',
      dir,
      'retrieve',
      '--seq',
      String(doc1.seq),
      '--requester',
      'P-wang',
      '--key',
      'P-sun',
    ];
    // Through the real bin: a refusal is one line and exit 2.
    const r = await cli(['--json', ...args, '--out', out], { spawn: true, ...at(cst(2026, 10, 1)) });
    expectOneLineError(r, 'RETRIEVAL_NO_APPROVAL', 2);
    const err = ErrorOutput.parse(JSON.parse(r.stdout)).error;
    expect(err.eventSeq).toBeGreaterThan(0);
    expect(r.stderr).toContain(`refusal recorded as entry #${err.eventSeq}`);
    refusalSeq = err.eventSeq!;
    await expect(stat(out)).rejects.toThrow();
    const ledger = await Ledger.open(join(dir, 'ledger'), { kinds: archiveKinds() });
    try {
      const e = await ledger.get(refusalSeq);
      expect(e.kind).toBe(ACC.retrieval);
      expect(e.body).toMatchObject({
        outcome: 'refused',
        reason: 'RETRIEVAL_NO_APPROVAL',
        requesterId: 'P-wang',
        target: { seq: doc1.seq },
      });
    } finally {
      await ledger.close();
    }
  });

  it('retrieve with a valid approval writes the committed bytes, once; a purged file is refused', async () => {
    await appendJson(
      {
        kind: 'enf/approval.retrieval',
        body: {
          approvalId: 'RA-1',
          decision: 'approved',
          decidedAt: cst(2026, 9, 30),
          slipNo: '调用单-1',
          requesterId: 'P-wang',
          purpose: '案件复核',
          caseId: CASE,
          validUntil: cst(2026, 10, 30),
        },
      },
      'P-zhao',
      cst(2026, 9, 30),
    );
    const out = join(tmp.dir, 'doc1.bin');
    const base = ['-d', dir, 'retrieve', '--requester', 'P-wang', '--approval', 'RA-1', '--key', 'P-sun'];
    const g = await cliJson(
      'retrieve',
      [...base, '--digest', doc1.digest, '--out', out],
      at(cst(2026, 10, 1)),
    );
    expect(g).toMatchObject({ granted: true, seq: doc1.seq, digest: doc1.digest, out, approvalId: 'RA-1' });
    expect(g.event).toMatchObject({ kind: ACC.retrieval, time: cst(2026, 10, 1) });
    const bytes = await readFile(out);
    expect(bytes.length).toBe(g.size);
    expect(sha256(bytes)).toBe(doc1.digest);
    // --out is never overwritten (checked before anything is logged).
    const n = await size();
    expectOneLineError(await cli([...base, '--seq', String(doc1.seq), '--out', out]), 'STORAGE_EXISTS', 3);
    expect(await size()).toBe(n);
    // The approval allowed one retrieval (the policy's default).
    const again = await cli([...base, '--seq', String(doc1.seq), '--out', `${out}.2`], at(cst(2026, 10, 2)));
    expectOneLineError(again, 'RETRIEVAL_USED_UP', 2);
    await expect(stat(`${out}.2`)).rejects.toThrow();
    expect(await size()).toBe(n + 1);
    // verify --content counts the granted and the refused retrievals; the log stays clean.
    const v = await cliJson('verify', ['-d', dir, 'verify', '--content']);
    expect(v.ok).toBe(true);
    expect(v.archive!.access).toEqual({ retrievals: 3, refused: 2, disclosures: 0 });
    // Art. 28: the agency's self-check of 2026 up to September, so that the ledger-wide compliance is clean.
    await cliJson(
      'self-check',
      ['-d', dir, 'self-check', '--from', '2026-01-01', '--to', '2026-09-30', '--key', 'P-zhao'],
      at(cst(2026, 10, 2)),
    );
    const c = await cliJson('compliance', ['-d', dir, 'compliance', '--as-of', '2026-10-02']);
    expect(c.archive).toMatchObject({ ok: true, findings: [] });
    expect(c.agency).toEqual([]);
  });

  it('content deleted outside a purge is reported by verify --content and compliance (Art. 27)', async () => {
    const objects = join(dir, 'content', 'objects');
    const files: string[] = [];
    const walk = async (p: string): Promise<void> => {
      for (const e of await readdir(p, { withFileTypes: true }))
        if (e.isDirectory()) await walk(join(p, e.name));
        else files.push(join(p, e.name));
    };
    await walk(objects);
    const victim = files.find((f) => f.includes(doc1.digest));
    expect(victim).toBeDefined();
    await unlink(victim!);
    const v = await cliJson('verify', ['-d', dir, 'verify', '--content'], { expectCode: 1 });
    expect(v.problems).toEqual([]);
    expect(v.content!.problems).toMatchObject([{ seq: doc1.seq, code: 'CONTENT_MISSING' }]);
    expect(v.archive!.findings.map((f) => [f.code, f.article, f.seqs])).toEqual([
      ['CONTENT_MISSING_UNPURGED', '27', [doc1.seq]],
    ]);
    const c = await cliJson('compliance', ['-d', dir, 'compliance', '--as-of', '2026-10-02'], {
      expectCode: 1,
    });
    expect(c.compliant).toBe(false);
    expect(c.violations).toBe(1);
    const en = await cli(['-d', dir, '--lang', 'en', 'compliance', '--as-of', '2026-10-02']);
    expect(en.stdout).toMatch(/Art\. 27 CONTENT_MISSING_UNPURGED: content is missing/);
  });
});
