/**
 * Every subcommand end to end in a temporary folder, through a child process, with its --json output checked
 * against its documented schema (src/cli/schemas.ts), and the human output in both languages.
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorOutput } from '../../src/cli/schemas';
import { cli, cliJson, expectOneLineError, tempDir } from './helpers';

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
    const out = await cliJson('init', [
      '-d',
      D,
      'init',
      '--origin',
      'ledger.test/cli',
      '--agency-id',
      'jc',
      '--agency-name',
      '测试卫健委',
    ]);
    expect(out.origin).toBe('ledger.test/cli');
    expect(out.checkpointKey.startsWith('ledger.test/cli+')).toBe(true);
    expect((await stat(join(D, 'keys/root.pem'))).mode & 0o777).toBe(0o600);
    for (const p of ['ledger', 'content', 'config.json']) expect(await stat(join(D, p))).toBeTruthy();
    // A second init refuses to overwrite.
    expectOneLineError(await cli(['-d', D, 'init']), 'STORAGE_EXISTS', 3);
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

describe('subcommands whose modules have not landed', () => {
  for (const args of [
    ['sample'],
    ['export-bundle'],
    ['verify-bundle', 'x.bundle'],
    ['retention', 'schedule'],
    ['retention', 'purge'],
    ['retrieve'],
  ])
    it(`${args.join(' ')} says NOT_AVAILABLE (exit 2)`, async () => {
      const r = await cli(['--json', ...args]);
      expectOneLineError(r, 'NOT_AVAILABLE', 2);
      expect(ErrorOutput.parse(JSON.parse(r.stdout)).error.code).toBe('NOT_AVAILABLE');
    });
});
