/**
 * The inspector's page, pure part (src/cli/page/inspect.ts) in Node: the anchors as typed, the verdicts (verified
 * only under a user-supplied anchor), failed checks named, content files hashed and matched, and the same checklist
 * and case sections as the CLI's `verify-bundle --html` report.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeSuite } from '../../src/crypto/node';
import {
  type AnchorsText,
  NO_ANCHORS,
  anchorsFromJson,
  classifyFiles,
  inspect,
  parseAnchors,
} from '../../src/cli/page/inspect';
import { bundleInspectionReport, bundleTimelines } from '../../src/cli/report/from-bundle';
import { escapeHtml, reportSections } from '../../src/cli/report/html';
import { decodeBundle } from '../../src/bundles/format';
import { PROBLEMS } from '../../src/problems';
import { verifyBundle } from '../../src/verify';
import { type PageFixture, pageFixture } from './fixture';

let f: PageFixture;
let anchors: AnchorsText;
beforeAll(async () => {
  f = await pageFixture();
  anchors = { ...NO_ANCHORS, logKey: f.logKey, witnesses: f.witnesses.join('\n'), ruleSet: f.ruleSet };
});

const NOW = Date.UTC(2026, 4, 2);
const run = (a: AnchorsText, bundle = f.bundle, content: { name: string; bytes: Uint8Array }[] = []) =>
  inspect({ anchors: a, bundle: { name: 'case.bundle', bytes: bundle }, content, now: NOW });
/** The checklist rows of a result's HTML: check id → data-ok. */
const rows = (html: string) =>
  Object.fromEntries(
    [...html.matchAll(/<tr data-check="([^"]+)" data-ok="([^"]+)"/g)].map((m) => [m[1], m[2]]),
  );

describe('parseAnchors', () => {
  it('reads the verifier keys the CLI flags take, the quorum and rule-set identities', () => {
    const p = parseAnchors({
      ...anchors,
      witnesses: `  ${f.witnesses[0]} ,\n\n${f.witnesses[1]}\n`,
      quorum: '1',
    });
    expect(p.errors).toEqual([]);
    expect(p.anchored).toBe(true);
    expect(p.trust.witnesses!.quorum).toBe(1);
    expect(p.trust.witnesses!.witnesses.map((w) => w.name)).toEqual([
      'witness-1.example',
      'witness-2.example',
    ]);
    expect(p.trust.logKey?.name).toBe(f.logKey.split('+')[0]);
    expect(p.trust.ruleSetHashes).toEqual([f.ruleSet]);
  });

  it('is not anchored with no log key and no witness, or a quorum of 0', () => {
    expect(parseAnchors(NO_ANCHORS)).toMatchObject({ anchored: false, errors: [] });
    expect(parseAnchors({ ...NO_ANCHORS, witnesses: f.witnesses.join('\n'), quorum: '0' }).anchored).toBe(
      false,
    );
    expect(parseAnchors({ ...NO_ANCHORS, witnesses: f.witnesses[0]! }).anchored).toBe(true);
    expect(parseAnchors({ ...NO_ANCHORS, logKey: f.logKey }).anchored).toBe(true);
  });

  it('names the field and the code of each bad anchor', () => {
    const flipped = `${f.logKey.slice(0, -3)}${f.logKey.endsWith('A=') ? 'B=' : 'A='}`.slice(
      0,
      f.logKey.length,
    );
    const p = parseAnchors({
      ...NO_ANCHORS,
      logKey: 'not-a-key',
      witnesses: `${f.witnesses[0]}\n${flipped}`,
      quorum: '3',
      ruleSet: 'abc',
    });
    expect(p.errors.map((e) => [e.field, e.code])).toEqual([
      ['logKey', 'ANCHOR_BAD_KEY'],
      ['witnesses', 'ANCHOR_BAD_KEY'],
      ['quorum', 'ANCHOR_BAD_QUORUM'],
      ['ruleSet', 'ANCHOR_BAD_RULE_SET'],
    ]);
    for (const e of p.errors) expect(e.text.zh).toMatch(/[\u4e00-\u9fff]/);
    // The reason the key was refused is in Chinese too (src/cli/error-details.ts); in English the library's message.
    expect(p.errors[0]!.text.zh).toBe(
      '不是验证公钥（名称+十六进制标识+base64）：not-a-key（验证密钥的格式必须是 <名称>+<十六进制密钥标识>+<base64 密钥>）',
    );
    expect(p.errors[0]!.text.en).toContain('(vkey must be <name>+<hex key id>+<base64 key>)');
    expect(parseAnchors({ ...anchors, quorum: '-1' }).errors.map((e) => e.code)).toEqual([
      'ANCHOR_BAD_QUORUM',
    ]);
    expect(parseAnchors({ ...anchors, quorum: '1.5' }).errors.map((e) => e.code)).toEqual([
      'ANCHOR_BAD_QUORUM',
    ]);
  });
});

describe('anchors files and dropped files', () => {
  it('reads an anchors file and refuses what is not one', () => {
    const text = JSON.stringify({
      logKey: f.logKey,
      witnesses: f.witnesses,
      quorum: 2,
      ruleSet: [f.ruleSet],
    });
    expect(anchorsFromJson(text)).toEqual({ ...anchors, quorum: '2' });
    expect(anchorsFromJson('{"other": 1}')).toBeUndefined();
    expect(anchorsFromJson('[1]')).toBeUndefined();
    expect(anchorsFromJson('not json')).toBeUndefined();
  });

  it('sorts dropped files into anchors, the bundle and content', () => {
    const anchorsFile = {
      name: 'anchors.json',
      bytes: new TextEncoder().encode(JSON.stringify({ logKey: f.logKey })),
    };
    const c = classifyFiles([f.files[0]!, { name: 'x.bundle', bytes: f.bundle }, anchorsFile, f.files[1]!]);
    expect(c.anchors?.logKey).toBe(f.logKey);
    expect(c.bundle?.name).toBe('x.bundle');
    expect(c.content.map((x) => x.name)).toEqual([f.files[0]!.name, f.files[1]!.name]);
  });
});

describe('inspect', () => {
  it('verifies the bundle under the anchors, with the same checklist and cases as the CLI report', () => {
    const r = run(anchors);
    expect(r.verdict).toBe('verified');
    expect(r.report?.ok).toBe(true);
    expect(r.html).toContain('data-verdict="verified"');
    // The report's own sections, as `verify-bundle --html` builds them from the same verification.
    const report = verifyBundle(f.bundle, { ...parseAnchors(anchors).trust, suite: nodeSuite });
    const cases = bundleTimelines(f.bundle, nodeSuite);
    expect(r.html).toContain(reportSections(bundleInspectionReport('case.bundle', report, cases, NOW)));
    expect(Object.values(rows(r.html))).not.toContain('false');
    expect(r.html).toMatch(/data-case="[^"]+"/);
  });

  it('does not call an unanchored bundle verified', () => {
    const r = run(NO_ANCHORS);
    expect(r.verdict).toBe('not_anchored');
    expect(r.html).not.toContain('data-verdict="verified"');
    expect(run({ ...NO_ANCHORS, witnesses: f.witnesses.join('\n'), quorum: '0' }).verdict).toBe(
      'not_anchored',
    );
  });

  it('fails a tampered bundle and names the failed checks', () => {
    const entry = run(anchors, f.entryTampered);
    expect(entry.verdict).toBe('failed');
    const bad = Object.entries(rows(entry.html))
      .filter(([, ok]) => ok === 'false')
      .map(([id]) => id);
    expect(bad.length).toBeGreaterThan(0);
    // Exactly the checks the verifier reported problems for are the ones marked failed.
    expect(bad.sort()).toEqual([...new Set(entry.report!.problems.map((p) => p.check))].sort());
    expect(entry.html).toContain('id="problems"');
    const sig = run(anchors, f.signatureTampered);
    expect(sig.verdict).toBe('failed');
    expect(rows(sig.html).exporter).toBe('false');
    expect(sig.html).toContain('data-problem="EXPORTER_SIGNATURE"');
    // Each problem carries the catalogue's meaning in both languages (src/problems.ts), not only the code.
    const row = sig.html.slice(sig.html.indexOf('data-problem="EXPORTER_SIGNATURE"'));
    expect(row.slice(0, row.indexOf('</tr>'))).toContain(escapeHtml(PROBLEMS.EXPORTER_SIGNATURE.zh));
  });

  it('fails under anchors the bundle does not meet', () => {
    expect(run({ ...anchors, witnesses: f.strangerWitness }).verdict).toBe('failed');
    // A witness's key given as the log key names another log (the witness): the bundle is refused as not that log's.
    expect(run({ ...anchors, logKey: f.witnesses[0]!, witnesses: '' }).verdict).toBe('wrong_origin');
    expect(run({ ...anchors, ruleSet: '0'.repeat(64) }).verdict).toBe('failed');
  });

  it('checks the bundle against a checkpoint the inspector holds and the nonce given', () => {
    const held = decodeBundle(f.bundle).payload.checkpoint;
    const same = run({ ...anchors, checkpoint: held.replace(/\n/g, '\r\n') });
    expect(same.verdict).toBe('verified');
    expect(rows(same.html).consistency).toBe('true');
    const forged = run({ ...anchors, checkpoint: held.replace(/\n\n/, '\nx\n\n') });
    expect(forged.verdict).toBe('failed');
    expect(rows(forged.html).consistency).toBe('false');
    expect(forged.report!.problems.map((p) => p.code)).toEqual(['TRUSTED_CHECKPOINT_INVALID']);
    // A nonce asks for a sample; this bundle holds a chosen case, not a sample.
    const nonce = run({ ...anchors, nonce: '07'.repeat(32) });
    expect(nonce.verdict).toBe('failed');
    expect(nonce.report!.problems.map((p) => p.code)).toEqual(['SAMPLE_MISSING']);
  });

  it('hashes content files and matches them to their records', () => {
    const good = f.files.slice(0, 2);
    const altered = { name: 'altered.pdf', bytes: f.files[0]!.bytes.slice() };
    altered.bytes[0]! ^= 1;
    const r = run(anchors, f.bundle, good);
    expect(r.verdict).toBe('verified');
    expect(r.content.map((c) => c.status)).toEqual(['match', 'match']);
    expect(r.content.every((c) => c.seq !== null && /^[0-9a-f]{64}$/.test(c.sha256))).toBe(true);
    expect(r.content.some((c) => c.recordId !== null)).toBe(true);
    const bad = run(anchors, f.bundle, [...good, altered]);
    expect(bad.verdict).toBe('failed');
    expect(bad.content.map((c) => c.status)).toEqual(['match', 'match', 'unreferenced']);
    expect(rows(bad.html).content).toBe('false');
  });

  it('reports bad anchors, no bundle and an unreadable file without verifying', () => {
    expect(run({ ...anchors, logKey: 'x' }).verdict).toBe('bad_anchors');
    expect(inspect({ anchors, bundle: undefined, content: [], now: NOW }).verdict).toBe('no_bundle');
    const junk = run(anchors, new TextEncoder().encode('not a bundle'));
    expect(junk.verdict).toBe('unreadable');
    expect(junk.report?.checks.format.status).toBe('failed');
  });
});
