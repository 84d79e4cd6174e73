/**
 * A disclosure (Art. 26) must match its approval: the recipient, the purpose the approval names, the records it lists;
 * and a disclosure approval is valid for a bounded time and a number of uses (by default the policy's 7 days and one
 * use, the retrieval approvals' model). Each refusal is logged before PolicyError is thrown and grants nothing; a
 * violating disclosure forged straight into LevelDB is reported by verifyAccess while the log itself verifies.
 */
import { describe, expect, it } from 'vitest';
import { ACC, Access, archiveKinds, evaluateDisclosure, verifyAccess } from '../../src/access';
import type { DisclosureClaim } from '../../src/access';
import { KIND } from '../../src/domain/kind-names';
import { PolicyError, ValidationError } from '../../src/errors';
import type { CborValue, StoredEntry } from '../../src/ledger/types';
import { DEFAULT_RETENTION_POLICY, type RetentionPolicy } from '../../src/retention';
import { type LogReader, ledgerReader } from '../../src/retention/reader';
import { type World, entriesOfKind, people, rawAppend, useWorld } from '../retention/helpers';

let w: World;
let acc: Access;
let docIds: string[];
let segIds: string[];
const DAY = 86_400_000;
const COURT = '某区人民法院';
let n = 0;
const id = (p: string) => `${p}-${++n}`;

useWorld('el-dm-', async (world) => {
  w = world;
  acc = new Access(w.ledger, w.store, { clock: w.clock });
  docIds = (await entriesOfKind(w.ledger, KIND.document)).map((e) => e.body.documentId);
  segIds = (await entriesOfKind(w.ledger, KIND.segment)).map((e) => e.body.segmentId);
});

/** The head approves disclosing the case's records to `recipient` for `purpose`, now. */
async function approve(o: { recipient?: string; purpose?: string; scope?: string } = {}) {
  const approvalId = id('DA');
  const res = await w.er.approve(
    'disclosure',
    {
      approvalId,
      decision: 'approved',
      decidedAt: w.now,
      caseId: w.caseId,
      recipient: o.recipient ?? COURT,
      purpose: o.purpose ?? '行政诉讼举证',
      ...(o.scope === undefined ? {} : { scope: o.scope }),
    },
    people.head,
  );
  return { approvalId, seq: res.seq };
}

type Disclosure = { approvalId: string; recipient: string; purpose?: string };
const disclose = (d: Disclosure) => acc.disclose({ caseId: w.caseId, ...d }, people.archivist);

async function granted(approvalId: string): Promise<StoredEntry[]> {
  const out = [];
  for (const s of await w.ledger.lookup('enf/case', w.caseId)) {
    const e = await w.ledger.get(s);
    const b = e.body as { outcome?: string; approvalId?: string };
    if (e.kind === ACC.disclosure && b.outcome === 'granted' && b.approvalId === approvalId) out.push(e);
  }
  return out;
}

/** Expects PolicyError `code`, the refusal logged as the one new entry, and no granted disclosure added. */
async function refusedAndLogged(d: Disclosure, code: string) {
  const before = w.ledger.size;
  const grantsBefore = (await granted(d.approvalId)).length;
  const err = (await disclose(d).catch((e: unknown) => e)) as PolicyError;
  expect(err).toBeInstanceOf(PolicyError);
  expect(err.code).toBe(code);
  expect(err.details?.eventSeq).toBe(before);
  expect(w.ledger.size).toBe(before + 1);
  const ev = await w.ledger.get(before);
  expect(ev.kind).toBe(ACC.disclosure);
  expect(ev.body).toMatchObject({
    outcome: 'refused',
    reason: code,
    approvalId: d.approvalId,
    recipient: d.recipient,
  });
  expect((await granted(d.approvalId)).length).toBe(grantsBefore);
  return err;
}

async function grantedAndLogged(d: Disclosure) {
  const res = await disclose(d);
  expect((await w.ledger.get(res.seq)).body).toMatchObject({
    outcome: 'granted',
    approvalId: d.approvalId,
    recipient: d.recipient,
  });
  return res;
}

/** The reader with the approval at `seq` carrying `extra` fields (what the approval schema does not hold yet). */
function withApprovalFields(r: LogReader, seq: number, extra: Record<string, unknown>): LogReader {
  return {
    size: r.size,
    lookup: (i, k) => r.lookup(i, k),
    signatory: (k) => r.signatory(k),
    suite: () => r.suite(),
    get: async (s) => {
      const e = await r.get(s);
      return s === seq ? { ...e, body: { ...(e.body as object), ...extra } as CborValue } : e;
    },
  };
}
const codes = (ps: ReadonlyArray<{ code: string }>) => ps.map((p) => p.code);

describe('recipient and purpose', () => {
  it('another recipient than approved: refused, logged, nothing granted; the approved recipient is then granted', async () => {
    const { approvalId } = await approve();
    const err = await refusedAndLogged({ approvalId, recipient: '某报社' }, 'DISCLOSURE_RECIPIENT_MISMATCH');
    expect(err.message).toContain(COURT);
    // Near-misses are other recipients too: compared exactly.
    await refusedAndLogged({ approvalId, recipient: `${COURT} ` }, 'DISCLOSURE_RECIPIENT_MISMATCH');
    // Refusals do not use the approval up.
    await grantedAndLogged({ approvalId, recipient: COURT });
    expect(await granted(approvalId)).toHaveLength(1);
  });

  it('another purpose than approved: refused; no purpose given: the approval’s applies, granted', async () => {
    const { approvalId } = await approve({ purpose: '行政诉讼举证' });
    await refusedAndLogged(
      { approvalId, recipient: COURT, purpose: '新闻报道' },
      'DISCLOSURE_PURPOSE_MISMATCH',
    );
    await grantedAndLogged({ approvalId, recipient: COURT });
    const { approvalId: a2 } = await approve({ purpose: '行政诉讼举证' });
    await grantedAndLogged({ approvalId: a2, recipient: COURT, purpose: '行政诉讼举证' });
  });

  it('every mismatch is reported, the first is the logged reason', async () => {
    const { approvalId } = await approve();
    const err = await refusedAndLogged(
      { approvalId, recipient: '某报社', purpose: '新闻报道' },
      'DISCLOSURE_RECIPIENT_MISMATCH',
    );
    expect(codes(err.details!.problems as Array<{ code: string }>)).toEqual([
      'DISCLOSURE_RECIPIENT_MISMATCH',
      'DISCLOSURE_PURPOSE_MISMATCH',
    ]);
  });
});

describe('scope (records the approval lists)', () => {
  it('records outside the approval’s lists, or the whole case, are out of scope; listed ones are covered', async () => {
    const { approvalId, seq } = await approve();
    const r = withApprovalFields(ledgerReader(w.ledger), seq, { documentIds: [docIds[0]!, docIds[1]!] });
    const judge = (c: Partial<DisclosureClaim>) =>
      evaluateDisclosure(
        r,
        { approvalId, caseId: w.caseId, recipient: COURT, ...c },
        w.now,
        DEFAULT_RETENTION_POLICY,
      );
    expect(await judge({ documentIds: [docIds[0]!] })).toEqual([]);
    expect(await judge({ documentIds: [docIds[1]!, docIds[0]!] })).toEqual([]);
    const outside = await judge({ documentIds: [docIds[0]!, docIds[2]!] });
    expect(codes(outside)).toEqual(['DISCLOSURE_OUT_OF_SCOPE']);
    expect(outside[0]!.message).toContain(`documentIds:${docIds[2]}`);
    expect(outside[0]!.message).not.toContain(`documentIds:${docIds[0]}`);
    expect(codes(await judge({ segmentIds: [segIds[0]!] }))).toEqual(['DISCLOSURE_OUT_OF_SCOPE']);
    expect(codes(await judge({}))).toEqual(['DISCLOSURE_OUT_OF_SCOPE']);
  });

  it('an approval without record lists covers the whole case (its free-text scope is for people)', async () => {
    const { approvalId } = await approve({ scope: `仅 ${docIds[0]}` });
    const r = ledgerReader(w.ledger);
    for (const c of [{}, { documentIds: [docIds[2]!] }, { segmentIds: [segIds[1]!] }])
      expect(
        await evaluateDisclosure(
          r,
          { approvalId, caseId: w.caseId, recipient: COURT, ...c },
          w.now,
          DEFAULT_RETENTION_POLICY,
        ),
      ).toEqual([]);
  });
});

describe('validity window and use count', () => {
  it('the default window is 7 days from decidedAt: granted one millisecond before, refused (logged) at the end', async () => {
    const t0 = w.now;
    const early = await approve();
    const late = await approve();
    w.now = t0 + 7 * DAY - 1;
    await grantedAndLogged({ approvalId: early.approvalId, recipient: COURT });
    w.now = t0 + 7 * DAY;
    await refusedAndLogged({ approvalId: late.approvalId, recipient: COURT }, 'DISCLOSURE_APPROVAL_EXPIRED');
  });

  it('single use by default: the second disclosure under the same approval is refused, logged', async () => {
    const { approvalId } = await approve();
    await grantedAndLogged({ approvalId, recipient: COURT });
    const err = await refusedAndLogged({ approvalId, recipient: COURT }, 'DISCLOSURE_USED_UP');
    expect(err.message).toContain('allowed 1 disclosure(s), used 1');
    expect(await granted(approvalId)).toHaveLength(1);
  });

  it('a stored approval without validFrom/validUntil/maxUses gets the policy defaults (documented: 7 days, one use)', async () => {
    const { approvalId, seq } = await approve();
    const body = (await w.ledger.get(seq)).body as Record<string, unknown>;
    for (const k of ['validFrom', 'validUntil', 'maxUses']) expect(body).not.toHaveProperty(k);
    await grantedAndLogged({ approvalId, recipient: COURT });
    const claim = { approvalId, caseId: w.caseId, recipient: COURT };
    const r = ledgerReader(w.ledger);
    expect(codes(await evaluateDisclosure(r, claim, w.now, DEFAULT_RETENTION_POLICY))).toEqual([
      'DISCLOSURE_USED_UP',
    ]);
    // The defaults are the policy's, shared with retrieval approvals.
    const policy: RetentionPolicy = {
      ...DEFAULT_RETENTION_POLICY,
      access: { ...DEFAULT_RETENTION_POLICY.access, defaultMaxUses: 2, defaultValidityMs: DAY },
    };
    expect(await evaluateDisclosure(r, claim, w.now, policy)).toEqual([]);
    expect(codes(await evaluateDisclosure(r, claim, (body.decidedAt as number) + DAY, policy))).toEqual([
      'DISCLOSURE_APPROVAL_EXPIRED',
    ]);
  });

  it('an approval’s own validFrom, validUntil and maxUses are honoured (the retrieval approvals’ fields)', async () => {
    const { approvalId, seq } = await approve();
    const t = w.now;
    const claim = { approvalId, caseId: w.caseId, recipient: COURT };
    const judge = async (extra: Record<string, unknown>, at: number) =>
      codes(
        await evaluateDisclosure(
          withApprovalFields(ledgerReader(w.ledger), seq, extra),
          claim,
          at,
          DEFAULT_RETENTION_POLICY,
        ),
      );
    expect(await judge({ validUntil: t + 30 * DAY }, t + 20 * DAY)).toEqual([]);
    expect(await judge({ validUntil: t + 30 * DAY }, t + 30 * DAY)).toEqual(['DISCLOSURE_APPROVAL_EXPIRED']);
    expect(await judge({ validFrom: t + DAY }, t + DAY - 1)).toEqual(['DISCLOSURE_NOT_YET_VALID']);
    expect(await judge({ validFrom: t + DAY }, t + DAY)).toEqual([]);
    await grantedAndLogged({ approvalId, recipient: COURT });
    await grantedAndLogged({ approvalId: (await approve()).approvalId, recipient: COURT }); // another approval's use
    expect(await judge({ maxUses: 2 }, w.now)).toEqual([]);
    expect(await judge({}, w.now)).toEqual(['DISCLOSURE_USED_UP']);
  });
});

describe('verifyAccess', () => {
  it('reports forged granted disclosures that break the rules, while the log itself verifies', async () => {
    expect((await verifyAccess(w.ledger)).findings).toEqual([]);
    const other = await approve();
    const used = await approve();
    await grantedAndLogged({ approvalId: used.approvalId, recipient: COURT });
    const stale = await approve();
    const forgedBody = (approvalId: string, recipient: string) =>
      ({ v: 1, approvalId, caseId: w.caseId, recipient, outcome: 'granted', at: w.now }) as CborValue;
    // The same write through the API's ledger is refused by the kind's check, nothing written.
    const size = w.ledger.size;
    const err = await w.ledger
      .append({ kind: ACC.disclosure, body: forgedBody(other.approvalId, '某报社') }, people.archivist)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).issues.map((i) => i.code)).toEqual(['DISCLOSURE_RECIPIENT_MISMATCH']);
    expect(w.ledger.size).toBe(size);
    // Written raw by an insider with a valid key.
    await w.ledger.close();
    const kinds = archiveKinds();
    const raw = (approvalId: string, recipient: string, t: number) =>
      rawAppend(w.ledgerPath, kinds, people.archivist, ACC.disclosure, forgedBody(approvalId, recipient), t);
    const wrongRecipient = await raw(other.approvalId, '某报社', w.now);
    const reused = await raw(used.approvalId, COURT, w.now);
    const expired = await raw(stale.approvalId, COURT, w.now + 7 * DAY);
    await w.reopen();
    acc = new Access(w.ledger, w.store, { clock: w.clock });
    expect((await w.ledger.verify()).problems).toEqual([]);
    const rep = await verifyAccess(w.ledger);
    expect(rep.findings.map((f) => [f.code, f.seqs, f.article, f.liability])).toEqual([
      ['DISCLOSURE_RECIPIENT_MISMATCH', [other.seq, wrongRecipient], '26', '30(5)'],
      ['DISCLOSURE_USED_UP', [used.seq, reused], '26', '30(5)'],
      ['DISCLOSURE_APPROVAL_EXPIRED', [stale.seq, expired], '26', '30(5)'],
    ]);
    expect(rep.findings[0]!.evidence).toMatchObject({ eventSeq: wrongRecipient, recipient: '某报社' });
    expect(rep.ok).toBe(false);
  });
});
