/**
 * Bundle hardening (issue 8): every single-byte change of a small bundle is rejected or reported (exhaustive);
 * random changes of the penalty-case bundle (fast-check), also when the exporter re-signs the changed payload;
 * ≥ 100k random inputs to the parser raise only coded errors, and verifyBundle never throws on bytes.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toHex, utf8 } from '../../src/bytes';
import { buildBundle } from '../../src/bundles/build';
import { exportBundle } from '../../src/bundles/export';
import {
  BUNDLE_MEDIA_TYPE,
  bundleSigningMessage,
  decodeBundle,
  encodeBundle,
  encodePayload,
} from '../../src/bundles/format';
import { bundleToJson } from '../../src/bundles/json';
import { type BundleTrust, verifyBundle } from '../../src/bundles/verify';
import { contentRefOfBytes } from '../../src/bundles/content-ref';
import { identifyRuleSet, JINCHENG_RULE_SET } from '../../src/compliance/rule-set';
import { nodeSuite } from '../../src/crypto/node';
import { encodeCanonical } from '../../src/encoding/cbor';
import { LedgerError } from '../../src/errors';
import type { CborValue } from '../../src/ledger/types';
import { ForgedLog } from './forge';
import { cleanup, hash, key, penaltySetup, policyOf, witnessKey } from './helpers';

afterAll(cleanup);

const isCoded = (err: unknown) =>
  err instanceof LedgerError && typeof err.code === 'string' && err.code.length > 0;

/** A rule set with no rule and short settings, so the small bundle stays small (the inspector pins its hash). */
const SMALL_RULE_SET = {
  ...JINCHENG_RULE_SET,
  name: 'test-small',
  rules: [],
  settings: {
    ...JINCHENG_RULE_SET.settings,
    mandatoryAvActionTypes: [],
    asRequiredAvActionTypes: [],
    avSpanDocumentTypes: [],
    documents: {},
    documentOrder: [],
  },
};

async function smallBundle() {
  const root = key('small-root');
  const officer = key('small-officer');
  const archivist = key('small-archivist');
  const w = witnessKey(1);
  const file = utf8('a small scanned document');
  const log = await ForgedLog.create('small.example/log', root);
  await log.add('core/kind.declare', { kind: 'test/note', roles: ['officer'] }, root);
  await log.add('core/kind.declare', { kind: 'enf/case', roles: ['officer'] }, root);
  await log.add(
    'core/key.register',
    { publicKey: officer.publicKey, principal: 'P-1', roles: ['officer'] },
    root,
  );
  await log.add(
    'core/key.register',
    { publicKey: archivist.publicKey, principal: 'P-2', roles: ['archivist'] },
    root,
  );
  // Every non-core entry a bundle carries belongs to a case it lists (issue 13.5).
  const caseSeq = await log.add(
    'enf/case',
    {
      v: 1,
      caseId: 'C-1',
      agencyId: 'A',
      matterType: 'inspection',
      documentNumber: 'C-1号',
      title: 'C-1',
      target: { name: '某诊所', kind: 'organisation' },
      openedAt: 1,
      officers: ['P-1'],
    },
    officer,
  );
  const one = await log.add('test/note', { caseId: 'C-1', text: 'one' }, officer, [
    contentRefOfBytes(file, hash),
  ]);
  const two = await log.add('test/note', { caseId: 'C-1', text: 'two' }, officer);
  const cp = await log.checkpoint([w]);
  const bytes = await buildBundle(
    {
      origin: log.origin,
      checkpoint: cp,
      entries: log.entries(),
      cases: [{ caseId: 'C-1', seqs: [caseSeq, one, two], asOf: 2 }],
      ruleSet: SMALL_RULE_SET,
      content: [file],
      exported: 1,
      suite: nodeSuite,
    },
    archivist,
  );
  const ruleSetHashes = [identifyRuleSet(SMALL_RULE_SET, hash).hash];
  return {
    bytes,
    trust: { witnesses: policyOf([w]), suite: nodeSuite, ruleSetHashes } satisfies BundleTrust,
  };
}

describe('single-byte changes', () => {
  it('of a small bundle: every position (low bit, high bit, complement) is rejected or reported', async () => {
    const { bytes, trust } = await smallBundle();
    expect(verifyBundle(bytes, trust).ok).toBe(true);
    expect(bytes.length).toBeGreaterThan(1500);
    let variants = 0;
    for (let i = 0; i < bytes.length; i++)
      for (const x of [0x01, 0x80, 0xff]) {
        const m = bytes.slice();
        m[i]! ^= x;
        const r = verifyBundle(m, trust);
        if (r.ok) throw new Error(`byte ${i} ^ ${x} went unnoticed`);
        variants++;
      }
    expect(variants).toBe(bytes.length * 3);
    // Exhaustive: every variant replays every signature (about 9,000 variants; minutes on a loaded 2-core machine).
  }, 600_000);

  describe('of the penalty-case bundle', () => {
    let bytes: Uint8Array;
    let trust: BundleTrust;
    let archivist: ReturnType<typeof key>;
    let close: () => Promise<void>;
    beforeAll(async () => {
      const s = await penaltySetup({ nWitnesses: 1 });
      archivist = s.archivist;
      bytes = await exportBundle(s.ledger, {
        exporter: s.archivist,
        caseIds: [s.caseId],
        content: async (ref) => s.files.get(toHex(ref.digest)),
        clock: () => 1,
      });
      trust = {
        witnesses: policyOf(s.witnesses),
        suite: nodeSuite,
        ruleSetHashes: [identifyRuleSet(JINCHENG_RULE_SET).hash],
      };
      close = () => s.ledger.close();
    });
    afterAll(() => close());

    it('random position and value: rejected or reported (fast-check)', () => {
      expect(verifyBundle(bytes, trust).ok).toBe(true);
      fc.assert(
        fc.property(fc.nat({ max: bytes.length - 1 }), fc.integer({ min: 1, max: 255 }), (i, x) => {
          const m = bytes.slice();
          m[i]! ^= x;
          expect(verifyBundle(m, trust).ok).toBe(false);
        }),
        { numRuns: 400 },
      );
    });

    it('a changed payload re-signed by the exporter is reported, unless only attested fields changed', async () => {
      const original = decodeBundle(bytes);
      const normalise = (p: typeof original.payload) =>
        toHex(
          encodePayload({
            ...p,
            exported: original.payload.exported,
            cases: p.cases.map((c, i) => ({ ...c, asOf: original.payload.cases[i]?.asOf ?? c.asOf })),
          }),
        );
      const base = normalise(original.payload);
      let attestedOnly = 0;
      let reported = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.nat({ max: original.payloadBytes.length - 1 }),
          fc.integer({ min: 1, max: 255 }),
          async (i, x) => {
            const p = original.payloadBytes.slice();
            p[i]! ^= x;
            const sig = await archivist.sign(bundleSigningMessage(p));
            const m = encodeBundle(p, new Uint8Array(Buffer.from(archivist.keyId, 'hex')), sig);
            const r = verifyBundle(m, trust);
            if (r.ok) {
              // Only the export time or a case's as-of time changed, and the findings still hold at that time.
              expect(normalise(decodeBundle(m).payload)).toBe(base);
              attestedOnly++;
            } else reported++;
          },
        ),
        { numRuns: 400 },
      );
      expect(reported).toBeGreaterThan(attestedOnly);
    });
  });
});

/**
 * Maps with distinct keys drawn from `keys`, each with its own `value`: what `fc.dictionary(fc.constantFrom(...keys),
 * value, …)` gives, without drawing a value for every key that is then dropped as a duplicate (the distinct keys are
 * drawn alone first, as dictionary's unique array draws them). Generation was most of the parser tests' time.
 */
function keyed<T>(
  keys: readonly string[],
  value: fc.Arbitrary<T>,
  size: { minKeys?: number; maxKeys: number },
): fc.Arbitrary<Record<string, T>> {
  return fc
    .uniqueArray(fc.constantFrom(...keys), { minLength: size.minKeys ?? 0, maxLength: size.maxKeys })
    .chain((ks) =>
      fc.tuple(...ks.map(() => value)).map((vs) => Object.fromEntries(ks.map((k, i) => [k, vs[i]!]))),
    );
}

/** Random CBOR values shaped like bundles: the right outer layout with random or partly right payloads. */
function bundleLike(): fc.Arbitrary<Uint8Array> {
  const leaf = fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.integer({ min: -5, max: 2 ** 40 }),
    fc.string({ maxLength: 12 }),
    fc.uint8Array({ maxLength: 70 }),
    fc.constantFrom(32, 64).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
  );
  const value = fc.letrec<{ v: CborValue }>((tie) => ({
    v: fc.oneof(
      { depthSize: 'small' },
      leaf,
      fc.array(tie('v'), { maxLength: 4 }),
      keyed(
        [
          'v',
          'origin',
          'checkpoint',
          'entries',
          'cases',
          'ruleSet',
          'calendar',
          'consistency',
          'content',
          'sample',
          'exported',
          'caseId',
          'seqs',
          'asOf',
          'findings',
          'size',
          'proof',
          'nonce',
          'k',
          'population',
          'x',
        ],
        tie('v'),
        { maxKeys: 12 },
      ),
    ) as fc.Arbitrary<CborValue>,
  })).v;
  const payload = keyed(
    [
      'v',
      'origin',
      'checkpoint',
      'entries',
      'cases',
      'ruleSet',
      'calendar',
      'consistency',
      'content',
      'sample',
      'exported',
    ],
    value,
    { minKeys: 8, maxKeys: 11 },
  );
  return fc
    .tuple(
      fc.oneof(fc.constant(BUNDLE_MEDIA_TYPE), fc.string({ maxLength: 8 })),
      fc.oneof(
        payload.map((p) => ({ ...p, v: 1 }) as CborValue),
        value,
      ),
      fc.uint8Array({ minLength: 32, maxLength: 32 }),
      fc.uint8Array({ minLength: 64, maxLength: 64 }),
    )
    .map(([t, p, k, s]) => encodeCanonical([t, encodeCanonical(p), k, s]));
}

describe('parser hardening', () => {
  let small: Uint8Array;
  let trust: BundleTrust;
  beforeAll(async () => {
    ({ bytes: small, trust } = await smallBundle());
  });

  const inputs = () =>
    fc.oneof(
      fc.uint8Array({ maxLength: 256 }),
      bundleLike(),
      // Edits of a valid bundle: truncation, insertion, deletion, overwrite.
      fc
        .tuple(
          fc.nat(),
          fc.uint8Array({ minLength: 1, maxLength: 8 }),
          fc.constantFrom('cut', 'insert', 'delete', 'write'),
        )
        .map(([at, b, op]) => {
          const i = at % small.length;
          if (op === 'cut') return small.slice(0, i);
          if (op === 'insert') return Uint8Array.from([...small.subarray(0, i), ...b, ...small.subarray(i)]);
          if (op === 'delete')
            return Uint8Array.from([...small.subarray(0, i), ...small.subarray(i + b.length)]);
          const m = small.slice();
          m.set(b.subarray(0, m.length - i), i);
          return m;
        }),
    );

  it('bundleToJson shows a time no Date can hold as its number instead of throwing RangeError', () => {
    const b = decodeBundle(small);
    const json = bundleToJson({ ...b, payload: { ...b.payload, exported: 9e15 } }) as { exported: unknown };
    expect(json.exported).toBe(9e15);
    expect((bundleToJson(b) as { exported: unknown }).exported).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('100,000 random inputs to decodeBundle and bundleToJson raise only coded errors', () => {
    let decoded = 0;
    fc.assert(
      fc.property(inputs(), (b) => {
        try {
          bundleToJson(decodeBundle(b));
          decoded++;
        } catch (err) {
          if (!isCoded(err)) throw err;
        }
      }),
      { numRuns: 100_000 },
    );
    // Some inputs decode in full (edits of the signature or key id bytes): the generator reaches the inner checks.
    expect(decoded).toBeGreaterThan(0);
  });

  it('verifyBundle returns a failed checklist for 20,000 random inputs and never throws', () => {
    fc.assert(
      fc.property(inputs(), (b) => {
        const r = verifyBundle(b, trust);
        if (r.ok) expect(toHex(b)).toBe(toHex(small));
        for (const p of r.problems) expect(p.code).toMatch(/^[A-Z_]+$/);
      }),
      { numRuns: 20_000 },
    );
  });
});
