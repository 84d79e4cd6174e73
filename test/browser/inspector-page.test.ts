/**
 * The inspector's page (issue 18) in real Chromium (Debian's /usr/bin/chromium through playwright-core; never a
 * downloaded browser): the page as `enforcement-ledger inspector-page` writes it, opened from a file, with every
 * request that is not file: or data: recorded and refused. A good bundle under the right anchors is verified; a
 * tampered one fails with its failed checks named; without anchors it is "not anchored"; dropped content files are
 * hashed in the page; the language switch works; screenshots go to test-artifacts/ (zh and en) to be looked at.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BrowserContext, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, cliJson } from '../cli/helpers';
import { type PageFixture, pageFixture } from '../page/fixture';
import { CHROMIUM, CHROMIUM_ARGS } from './chromium';

const ARTIFACTS = join(ROOT, 'test-artifacts');

let context: BrowserContext | undefined;
let work = '';
let pageUrl = '';
let f: PageFixture;
/** Every request the pages made that was not for a file: or data: URL (each was aborted). */
const outside: string[] = [];
/** Every request the pages made. */
const seen: string[] = [];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'el-page-'));
  const out = join(work, 'inspector.html');
  const written = await cliJson('inspector-page', ['inspector-page', out]);
  expect(written.file).toBe(out);
  pageUrl = pathToFileURL(out).href;
  f = await pageFixture(['unexcused_gap']);
  try {
    context = await chromium.launchPersistentContext(join(work, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: [...CHROMIUM_ARGS],
      viewport: { width: 1200, height: 900 },
    });
  } catch (err) {
    throw new Error(
      `chromium could not start from ${CHROMIUM} (install it: apt-get install -y chromium): ${(err as Error).message}`,
    );
  }
  context.on('request', (r) => {
    seen.push(r.url());
  });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:') || url.startsWith('data:')) return route.continue();
    outside.push(url);
    return route.abort();
  });
});

afterAll(async () => {
  await context?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

async function open(): Promise<Page> {
  const page = await context!.newPage();
  await page.goto(pageUrl);
  return page;
}

interface Fill {
  logKey?: string;
  origin?: string;
  witnesses?: readonly string[];
  quorum?: string;
  ruleSet?: string;
  checkpoint?: string;
}

async function fill(page: Page, a: Fill) {
  await page.fill('#logKey', a.logKey ?? '');
  await page.fill('#origin', a.origin ?? '');
  await page.fill('#witnesses', (a.witnesses ?? []).join('\n'));
  await page.fill('#quorum', a.quorum ?? '');
  await page.fill('#ruleSet', a.ruleSet ?? '');
  await page.fill('#checkpoint', a.checkpoint ?? '');
}

async function verify(page: Page, bundle: Uint8Array, content: PageFixture['files'] = []): Promise<string> {
  await page.setInputFiles('#bundleFile', {
    name: 'case.bundle',
    mimeType: 'application/octet-stream',
    buffer: Buffer.from(bundle),
  });
  if (content.length)
    await page.setInputFiles(
      '#contentFiles',
      content.map((c) => ({
        name: c.name,
        mimeType: 'application/octet-stream',
        buffer: Buffer.from(c.bytes),
      })),
    );
  await page.evaluate(() => document.getElementById('result')!.removeAttribute('data-verdict'));
  await page.click('#verify');
  await page.waitForSelector('#result[data-verdict]', { timeout: 60_000 });
  return (await page.getAttribute('#result', 'data-verdict'))!;
}

/** The checklist as the page shows it: check id → passed ("true"), failed ("false") or not checked ("null"). */
async function checklist(page: Page): Promise<Record<string, string>> {
  return page.$$eval('#checklist tr[data-check]', (trs) =>
    Object.fromEntries(trs.map((tr) => [tr.getAttribute('data-check'), tr.getAttribute('data-ok')])),
  );
}

describe('the inspector page in headless chromium', () => {
  it('is one self-contained file that forbids every network load', async () => {
    const html = await readFile(new URL(pageUrl), 'utf8');
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/<(script|link|img|iframe)[^>]+(src|href)=/i);
  });

  it('verifies the bundle under the right anchors, shows its cases, and reads in zh and en', async () => {
    const page = await open();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await fill(page, { logKey: f.logKey, witnesses: f.witnesses, ruleSet: f.ruleSet });
    const verdict = await verify(page, f.bundle, f.files.slice(0, 2));
    // The case has an unexcused gap (a violation): the bundle verifies, the finding is shown.
    expect(verdict).toBe('violations');
    const checks = await checklist(page);
    expect(Object.keys(checks).length).toBeGreaterThan(5);
    expect(Object.values(checks)).not.toContain('false');
    expect(
      await page.$$eval('#content-files tr[data-status]', (t) => t.map((x) => x.getAttribute('data-status'))),
    ).toEqual(['match', 'match']);
    expect(await page.locator('.case .mark.gap').count()).toBeGreaterThan(0);
    expect(await page.locator('.finding.violation').count()).toBeGreaterThan(0);
    // Chinese first: the verdict's Chinese text is visible, the English hidden.
    expect(await page.locator('#page-verdict .zh').isVisible()).toBe(true);
    expect(await page.locator('#page-verdict .en').isVisible()).toBe(false);
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'inspector-page-zh.png'), fullPage: true });
    await page.click('#lang');
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.locator('#page-verdict .en').isVisible()).toBe(true);
    expect(await page.locator('#page-verdict .zh').isVisible()).toBe(false);
    await page.screenshot({ path: join(ARTIFACTS, 'inspector-page-en.png'), fullPage: true });
    // What is on screen after Verify (the result scrolled into view), at full size.
    await page.evaluate(() => document.getElementById('result')!.scrollIntoView());
    await page.screenshot({ path: join(ARTIFACTS, 'inspector-page-result-en.png') });
    await page.click('#lang');
    await page.evaluate(() => document.getElementById('result')!.scrollIntoView());
    await page.screenshot({ path: join(ARTIFACTS, 'inspector-page-result-zh.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('verifies a clean case dropped on the page with an anchors file', async () => {
    const clean = await pageFixture();
    const page = await open();
    const anchors = JSON.stringify({
      logKey: clean.logKey,
      witnesses: clean.witnesses,
      ruleSet: clean.ruleSet,
    });
    // A real drop event carrying three files: the anchors file, the bundle and a content file.
    await page.evaluate(
      ({ anchors, bundle, file }) => {
        const b64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
        const dt = new DataTransfer();
        dt.items.add(new File([anchors], 'anchors.json', { type: 'application/json' }));
        dt.items.add(new File([b64(bundle)], 'case.bundle'));
        dt.items.add(new File([b64(file)], 'scan.pdf'));
        document
          .getElementById('drop')!
          .dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true }));
      },
      {
        anchors,
        bundle: Buffer.from(clean.bundle).toString('base64'),
        file: Buffer.from(clean.files[0]!.bytes).toString('base64'),
      },
    );
    await page.waitForSelector('#files li[data-role="content"]');
    expect(await page.inputValue('#logKey')).toBe(clean.logKey);
    await page.evaluate(() => document.getElementById('result')!.removeAttribute('data-verdict'));
    await page.click('#verify');
    await page.waitForSelector('#result[data-verdict]', { timeout: 60_000 });
    expect(await page.getAttribute('#result', 'data-verdict')).toBe('verified');
    expect(await page.getAttribute('#content-files tr[data-file="scan.pdf"]', 'data-status')).toBe('match');
    await page.close();
  });

  it('fails a tampered bundle and names the failed checks', async () => {
    const page = await open();
    await fill(page, { logKey: f.logKey, witnesses: f.witnesses });
    expect(await verify(page, f.entryTampered)).toBe('failed');
    const checks = await checklist(page);
    const failed = Object.keys(checks).filter((c) => checks[c] === 'false');
    expect(failed).toEqual(expect.arrayContaining(['inclusion', 'signers']));
    // Each failed check is named in its row, in the shown language, and its problems are listed.
    for (const c of failed)
      expect(await page.locator(`#checklist tr[data-check="${c}"] td.fail`).isVisible()).toBe(true);
    expect(await page.locator('#problems tr[data-problem]').count()).toBeGreaterThan(0);
    // The result is scrolled into view: what the inspector sees after pressing 核验.
    await page.screenshot({ path: join(ARTIFACTS, 'inspector-page-tampered-zh.png') });
    expect(await verify(page, f.signatureTampered)).toBe('failed');
    expect((await checklist(page)).exporter).toBe('false');
    await page.close();
  });

  it('does not call a bundle verified without anchors, and refuses a malformed key', async () => {
    const page = await open();
    expect(await verify(page, f.bundle)).toBe('not_anchored');
    expect(await page.locator('#page-verdict').getAttribute('data-verdict')).toBe('not_anchored');
    await fill(page, { logKey: 'wang+0000+abc' });
    expect(await verify(page, f.bundle)).toBe('bad_anchors');
    expect(await page.locator('[data-error-for="logKey"] [data-code="ANCHOR_BAD_KEY"]').count()).toBe(1);
    await page.close();
  });

  it('shows the log it trusts, and refuses a bundle of another log, naming both', async () => {
    const page = await open();
    const origin = f.logKey.split('+')[0]!;
    // Before anything is verified, the page says which log it will accept: the log key's name, its origin.
    expect(await page.getAttribute('#pinned', 'data-origin')).toBe('');
    await fill(page, { logKey: f.otherLogKey, witnesses: f.witnesses });
    expect(await page.getAttribute('#pinned', 'data-origin')).toBe('ledger.other.example/penalty');
    expect(await page.locator('#pinned').innerText()).toContain('ledger.other.example/penalty');
    // The witnesses did cosign this bundle: only the origin (and the key) say it is not the trusted log's.
    expect(await verify(page, f.bundle)).toBe('wrong_origin');
    expect(await page.getAttribute('#origins', 'data-trusted')).toBe('ledger.other.example/penalty');
    expect(await page.getAttribute('#origins', 'data-bundle')).toBe(origin);
    expect(await page.locator('#page-verdict .zh').innerText()).toContain('拒绝');
    expect(await page.locator('#problems tr[data-problem="ORIGIN_UNTRUSTED"]').count()).toBe(1);
    // No record of it is shown as that log's: the cases say the bundle did not verify.
    expect(await page.locator('.case [data-verdict="unverified"]').count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(ARTIFACTS, 'inspector-page-wrong-origin-zh.png') });
    // An origin typed without a log key pins it too; one that contradicts the log key is an anchor error.
    await fill(page, { origin: 'ledger.other.example/penalty', witnesses: f.witnesses });
    expect(await verify(page, f.bundle)).toBe('wrong_origin');
    await fill(page, { logKey: f.logKey, origin: 'ledger.other.example/penalty' });
    expect(await verify(page, f.bundle)).toBe('bad_anchors');
    expect(await page.locator('[data-error-for="origin"] [data-code="ANCHOR_ORIGIN_MISMATCH"]').count()).toBe(
      1,
    );
    // The right log: accepted, and the line names it twice.
    await fill(page, { logKey: f.logKey, origin, witnesses: f.witnesses });
    expect(await verify(page, f.bundle)).toBe('violations');
    expect(await page.getAttribute('#origins', 'data-trusted')).toBe(origin);
    await page.close();
  });

  it('never says verified unless a log key or a quorum of at least one witness was given', async () => {
    const clean = await pageFixture();
    const page = await open();
    const cp = clean.checkpoint;
    // Each of these anchors nothing: no key, witnesses with a quorum of 0, a rule set, a checkpoint (checked with the
    // bundle's own key), an origin alone.
    const unanchored: Fill[] = [
      {},
      { witnesses: clean.witnesses, quorum: '0' },
      { ruleSet: clean.ruleSet },
      { checkpoint: cp },
      { origin: clean.logKey.split('+')[0]! },
      { witnesses: clean.witnesses, quorum: '0', ruleSet: clean.ruleSet, checkpoint: cp },
    ];
    for (const a of unanchored) {
      await fill(page, a);
      expect(await verify(page, clean.bundle), JSON.stringify(Object.keys(a))).toBe('not_anchored');
      const shown = await page.locator('#result').innerText();
      expect(shown).toContain('未锚定');
      expect(shown).not.toContain('核验通过');
      expect(await page.locator('#result .verdict.ok').count()).toBe(0);
      // The checks that needed an anchor say so.
      expect(await page.locator('#checklist tr[data-status="not_anchored"]').count()).toBeGreaterThan(0);
    }
    await page.click('#lang');
    expect(await page.locator('#page-verdict .en').innerText()).toMatch(/NOT ANCHORED: not verified/);
    await page.screenshot({ path: join(ARTIFACTS, 'inspector-page-not-anchored-en.png') });
    await page.click('#lang');
    // A quorum of one witness, or the log key, is an anchor: the same bundle then verifies.
    await fill(page, { witnesses: clean.witnesses, quorum: '1' });
    expect(await verify(page, clean.bundle)).toBe('verified');
    await fill(page, { logKey: clean.logKey });
    expect(await verify(page, clean.bundle)).toBe('verified');
    expect(await page.locator('#result').innerText()).toContain('核验通过');
    await page.close();
  });

  it('sent no request off the page', () => {
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((u) => u.startsWith('file:') || u.startsWith('data:'))).toBe(true);
    expect(outside).toEqual([]);
  });
});
