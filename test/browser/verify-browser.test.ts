/**
 * The `./verify` entry in a real browser (issue 8): src/verify.ts is bundled with esbuild for the browser platform,
 * loaded in Debian chromium (headless, driven by playwright-core), and verifies the penalty-case bundle there with
 * the same result as in Node, on both crypto suites (an sm2-sm3 bundle too). If chromium cannot start, this test fails with the reason (it never skips).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportBundle } from '../../src/bundles/export';
import { type BundleReport, verifyBundle } from '../../src/bundles/verify';
import { toHex } from '../../src/bytes';
import { portableSuiteById } from '../../src/crypto/registry';
import { buildPenaltyCase, exampleSigner } from '../../src/domain/example-penalty-case';
import { cleanup, penaltySetup, policyOf, tempDir } from '../bundles/helpers';
import { CHROMIUM, CHROMIUM_ARGS } from './chromium';

/** A report as plain JSON (Uint8Array → hex), the same shape on both sides. */
function plain(r: BundleReport): unknown {
  return JSON.parse(JSON.stringify(r, (_k, v) => (v instanceof Uint8Array ? toHex(v) : v)));
}

let context: BrowserContext | undefined;
let profile: string | undefined;
afterAll(async () => {
  await context?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
  await cleanup();
});

describe('verifyBundle in headless chromium', () => {
  let code: string;
  beforeAll(async () => {
    const out = await build({
      entryPoints: [join(import.meta.dirname, '../../src/verify.ts')],
      bundle: true,
      platform: 'browser',
      format: 'iife',
      globalName: 'EnforcementLedgerVerify',
      target: 'es2022',
      write: false,
      logLevel: 'silent',
    });
    code = out.outputFiles[0]!.text;
  });

  it('gives the same checklist as Node for the penalty-case bundle', async () => {
    expect(code).not.toMatch(/require\(["']node:/);
    const s = await penaltySetup();
    let bytes: Uint8Array;
    let policy: ReturnType<typeof policyOf>;
    try {
      bytes = await exportBundle(s.ledger, {
        exporter: s.archivist,
        caseIds: [s.caseId],
        clock: () => Date.UTC(2026, 4, 1),
      });
      policy = policyOf(s.witnesses);
    } finally {
      await s.ledger.close();
    }
    const node = verifyBundle(bytes, { witnesses: policy });
    expect(node.ok).toBe(true);

    profile = await mkdtemp(join(tmpdir(), 'el-chromium-'));
    try {
      context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: [...CHROMIUM_ARGS],
      });
    } catch (err) {
      throw new Error(
        `chromium could not start from ${CHROMIUM} (install it: apt-get install -y chromium): ${(err as Error).message}`,
      );
    }
    const page = context.pages()[0] ?? (await context.newPage());
    await page.setContent('<!doctype html><title>verify</title>');
    await page.addScriptTag({ content: code });
    const input = {
      bundle: Buffer.from(bytes).toString('base64'),
      witnesses: policy.witnesses.map((w) => ({
        name: w.name,
        publicKey: Buffer.from(w.publicKey).toString('base64'),
      })),
      quorum: policy.quorum,
    };
    const result = await page.evaluate((inp) => {
      // biome-ignore lint/suspicious/noExplicitAny: the IIFE global of the esbuild bundle
      const EL = (globalThis as any).EnforcementLedgerVerify;
      const b64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
      const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
      const report = EL.verifyBundle(b64(inp.bundle), {
        witnesses: {
          witnesses: inp.witnesses.map((w) => ({ name: w.name, publicKey: b64(w.publicKey) })),
          quorum: inp.quorum,
        },
      });
      return {
        json: JSON.stringify(report, (_k, v) => (v instanceof Uint8Array ? hex(v) : v)),
        hasProcess: typeof (globalThis as { process?: unknown }).process !== 'undefined',
        ua: navigator.userAgent,
      };
    }, input);
    expect(result.ua).toMatch(/Chrome/);
    expect(result.hasProcess).toBe(false);
    expect(JSON.parse(result.json)).toEqual(plain(node));
    // And a tampered bundle fails there as here.
    const bad = bytes.slice();
    bad[bad.length - 10]! ^= 1;
    const badResult = await page.evaluate(
      (b) => {
        // biome-ignore lint/suspicious/noExplicitAny: the IIFE global of the esbuild bundle
        const EL = (globalThis as any).EnforcementLedgerVerify;
        const r = EL.verifyBundle(
          Uint8Array.from(atob(b.bundle), (c) => c.charCodeAt(0)),
          {
            witnesses: { witnesses: [], quorum: 0 },
          },
        );
        return r.problems.map((p: { code: string }) => p.code);
      },
      { bundle: Buffer.from(bad).toString('base64') },
    );
    expect(badResult).toEqual(
      verifyBundle(bad, { witnesses: { witnesses: [], quorum: 0 } }).problems.map((p) => p.code),
    );
    expect(badResult).toContain('EXPORTER_SIGNATURE');
  });

  it('verifies an sm2-sm3 penalty-case bundle (SM2 signatures, SM3 tree) as Node does', async () => {
    expect(context, 'the first test starts chromium').toBeDefined();
    const dir = await tempDir('el-browser-sm2-');
    const built = await buildPenaltyCase(dir, { suite: 'sm2-sm3', keepOpen: true });
    const ledger = built.records!.ledger;
    let bytes: Uint8Array;
    try {
      await ledger.checkpoint();
      bytes = await exportBundle(ledger, {
        exporter: exampleSigner('P-sun', portableSuiteById('sm2-sm3')),
        caseIds: [built.caseId],
        clock: () => Date.UTC(2026, 4, 1),
      });
    } finally {
      await ledger.close();
    }
    const cp = ledger.manifest.checkpointKey;
    const trust = { logKey: { name: cp.name, publicKey: cp.publicKey } };
    const node = verifyBundle(bytes, trust);
    expect([node.ok, node.suite]).toEqual([true, 'sm2-sm3']);
    const bad = bytes.slice();
    bad[bad.length - 10]! ^= 1;
    const page = await context!.newPage();
    await page.setContent('<!doctype html><title>verify sm2</title>');
    await page.addScriptTag({ content: code });
    const result = await page.evaluate(
      (inp) => {
        // biome-ignore lint/suspicious/noExplicitAny: the IIFE global of the esbuild bundle
        const EL = (globalThis as any).EnforcementLedgerVerify;
        const b64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));
        const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
        const trust = { logKey: { name: inp.name, publicKey: b64(inp.publicKey) } };
        const report = EL.verifyBundle(b64(inp.bundle), trust);
        const damaged = EL.verifyBundle(b64(inp.bad), trust);
        return {
          json: JSON.stringify(report, (_k, v) => (v instanceof Uint8Array ? hex(v) : v)),
          damaged: damaged.problems.map((p: { code: string }) => p.code),
        };
      },
      {
        bundle: Buffer.from(bytes).toString('base64'),
        bad: Buffer.from(bad).toString('base64'),
        name: cp.name,
        publicKey: Buffer.from(cp.publicKey).toString('base64'),
      },
    );
    expect(JSON.parse(result.json)).toEqual(plain(node));
    expect(result.damaged).toEqual(verifyBundle(bad, trust).problems.map((p) => p.code));
    expect(result.damaged).toContain('EXPORTER_SIGNATURE');
  });
});
