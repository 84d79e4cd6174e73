/**
 * Error lines in Chinese (issue 18 item 5): under --lang zh the one line `error <CODE>: …` gives the code's meaning in
 * Chinese before the detail (in Chinese too: test/cli/error-catalogue.test.ts); the code stays first, so scripts still
 * match it; --json keeps the library's message.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_ZH, errorMeaningZh } from '../../src/cli/error-words';
import { EXIT } from '../../src/cli/exit';
import { PROBLEMS } from '../../src/problems';
import { cli, expectOneLineError, ROOT, tempDir } from './helpers';

let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  tmp = await tempDir('el-cli-errzh-');
});
afterAll(() => tmp.cleanup());

const han = /[\u4e00-\u9fff]/;

describe('error lines in Chinese', () => {
  it('every code of the error families in src/errors.ts has its Chinese meaning', () => {
    const src = readFileSync(join(ROOT, 'src/errors.ts'), 'utf8');
    const codes = [...src.matchAll(/\| '([A-Z][A-Z0-9_]+)'/g)].map((m) => m[1]!);
    expect(codes.length).toBeGreaterThan(20);
    for (const code of codes) expect(ERROR_ZH[code], code).toMatch(han);
  });

  it('a policy code takes the problem catalogue’s words; an unknown code its exit class', () => {
    expect(errorMeaningZh('PURGE_BEFORE_EXPIRY', EXIT.usage)).toBe(PROBLEMS.PURGE_BEFORE_EXPIRY.zh);
    expect(errorMeaningZh('SOMETHING_NEW', EXIT.io)).toMatch(han);
    expect(errorMeaningZh('SOMETHING_NEW', EXIT.usage)).not.toBe(errorMeaningZh('SOMETHING_NEW', EXIT.io));
  });

  it('--lang zh: a missing folder, a bad option and an unknown record are one line, code first, meaning in Chinese', async () => {
    const none = join(tmp.dir, 'none');
    const missing = await cli(['-d', none, '--lang', 'zh', 'verify']);
    expectOneLineError(missing, 'STORAGE_NOT_FOUND', 3);
    expect(missing.stderr).toBe(
      `error STORAGE_NOT_FOUND: ${ERROR_ZH.STORAGE_NOT_FOUND}。详情：${none} 处没有台账目录（请先运行 init）\n`,
    );

    const usage = await cli(['--lang=zh', 'verify', '--no-such-flag']);
    expectOneLineError(usage, 'USAGE', 2);
    expect(usage.stderr).toContain(`error USAGE: ${ERROR_ZH.USAGE}。详情：`);

    const en = await cli(['--lang', 'en', 'verify', '--no-such-flag']);
    expectOneLineError(en, 'USAGE', 2);
    expect(en.stderr).not.toMatch(han);
  });
});
