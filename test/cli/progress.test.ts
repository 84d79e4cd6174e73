/**
 * Progress bars (rate, ETA) on stderr under a terminal — a pseudo-terminal from util-linux `script` — and none when
 * stderr is piped or with --quiet.
 */
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, cli, tempDir } from './helpers';

let tmp: Awaited<ReturnType<typeof tempDir>>;
let D: string;
let media: string;

beforeAll(async () => {
  tmp = await tempDir('el-cli-progress-');
  D = join(tmp.dir, 'demo');
  expect((await cli(['-q', 'demo', D])).code).toBe(0);
  media = join(tmp.dir, 'clip.mp4');
  await writeFile(media, new Uint8Array(4 << 20).fill(7));
  // The demo's case is archived, and an archived case takes no new records: ingest into a case of its own.
  const target = { name: '某某口腔诊所', kind: 'organisation' };
  const opened = Date.UTC(2026, 2, 3, 1, 0);
  const records = [
    {
      kind: 'enf/case',
      body: {
        caseId: 'JC-2026-PROG-1',
        agencyId: 'jc-wjw',
        matterType: 'inspection',
        documentNumber: '晋市卫监〔2026〕99号',
        title: '进度条测试',
        target,
        openedAt: opened,
        officers: ['P-wang', 'P-li'],
      },
    },
    {
      kind: 'enf/action.start',
      body: {
        actionId: 'ACT-P',
        caseId: 'JC-2026-PROG-1',
        actionTypes: ['on_site_inspection'],
        officers: ['P-wang', 'P-li'],
        target,
        location: '某路 1 号',
        startedAt: opened + 60_000,
      },
    },
  ];
  const r = await cli(['-q', '-d', D, 'append', '-', '--key', 'P-wang'], { input: JSON.stringify(records) });
  expect(r.code, r.stderr).toBe(0);
});
afterAll(() => tmp.cleanup());

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Runs the CLI under a pseudo-terminal; returns what the terminal showed (stdout and stderr together). */
function underTerminal(args: readonly string[]): { code: number; screen: string } {
  const cmd = [process.execPath, BIN, ...args].map(q).join(' ');
  const r = spawnSync('script', ['-qfec', cmd, '/dev/null'], {
    encoding: 'utf8',
    env: { ...process.env, LANG: 'C.UTF-8' },
  });
  return { code: r.status ?? -1, screen: r.stdout };
}

const BAR = /\[[█░]+\] \d+% \| .+ \| .+\/s \| ETA /;

describe('progress bars', () => {
  it('verify --content under a terminal shows bars with rate and ETA', () => {
    const r = underTerminal(['-d', D, '--lang', 'en', 'verify', '--content']);
    expect(r.code).toBe(0);
    expect(r.screen).toMatch(new RegExp(`verify ${BAR.source}`));
    expect(r.screen).toMatch(new RegExp(`content ${BAR.source}`));
    expect(r.screen).toMatch(/OK: \d+ entries/);
  });

  it('ingest under a terminal shows a byte bar', () => {
    const r = underTerminal([
      '-d',
      D,
      'ingest',
      media,
      '--key',
      'BC-0107',
      '--case',
      'JC-2026-PROG-1',
      '--action',
      'ACT-P',
      '--segment-id',
      'SEG-T',
      '--session',
      'S-T',
      '--start',
      '2026-03-03T09:30',
      '--end',
      '2026-03-03T09:31',
    ]);
    expect(r.code).toBe(0);
    expect(r.screen).toMatch(new RegExp(`ingest ${BAR.source}`));
    expect(r.screen).toMatch(/4\.0 MiB\/4\.0 MiB/);
  });

  it('export-bundle under a terminal shows a bar', () => {
    const r = underTerminal([
      '-d',
      D,
      'export-bundle',
      '--out',
      join(tmp.dir, 'b.bundle'),
      '--case',
      'JC-2026-PEN-0001',
      '--content',
    ]);
    expect(r.code).toBe(0);
    expect(r.screen).toMatch(new RegExp(`export ${BAR.source}`));
  });

  it('--quiet under a terminal shows none', () => {
    const r = underTerminal(['-d', D, '-q', 'verify', '--content']);
    expect(r.code).toBe(0);
    expect(r.screen).not.toMatch(/ETA/);
  });

  it('piped: stderr stays empty', async () => {
    const r = await cli(['-d', D, 'verify', '--content'], { spawn: true });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toMatch(/ETA/);
  });
});
