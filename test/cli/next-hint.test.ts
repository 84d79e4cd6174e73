/**
 * `next:` hints name the command as it runs: `enforcement-ledger` when installed, `npm run cli --` when this
 * repository's own npm scripts run it (README: `npm run demo` in a fresh clone, where no `enforcement-ledger` is on
 * the PATH, so the hint `demo` printed did not run as pasted).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, tempDir } from './helpers';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  tmp = await tempDir('el-cli-next-');
});
afterAll(() => tmp.cleanup());

describe('next: hints', () => {
  it('under npm run demo in this repository they run the command through npm run cli --; installed, by its name', async () => {
    const D = join(tmp.dir, 'demo');
    const npmRun = { npm_package_name: 'enforcement-ledger', npm_lifecycle_event: 'demo' };
    const r = await cli(['--lang', 'en', 'demo', D], { env: npmRun });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`\n  next: npm run cli -- -d ${D} verify --content`);
    expect(r.stdout).not.toContain('next: enforcement-ledger');
    // Another project's npm script of the same name is not this repository: the installed name.
    const other = await cli(
      [
        '--lang',
        'en',
        '-d',
        D,
        'request',
        'retrieval',
        '--requester',
        'P-wang',
        '--record',
        'DOC-1',
        '--purpose',
        'x',
        '--request-id',
        'RR-N',
        '--key',
        'P-wang',
      ],
      {
        env: { npm_package_name: 'agency-system', npm_lifecycle_event: 'demo' },
      },
    );
    expect(other.code).toBe(0);
    expect(other.stdout).toMatch(/\n {2}next: enforcement-ledger -d \S+ approve retrieval --request RR-N/);
  });
});
