/**
 * Accounts for every missing byte (docs/ARCHITECTURE.md invariant 3; Art. 22(3)(4), 27): each content a record commits is in the
 * store, or was purged by a purge entry that was lawful at its point of the log. Each purge entry is re-judged as of
 * its own position (the log before it, its append time), so a purge forged by writing the log directly, before
 * expiry, under a hold or without the request and approval, is reported even when the log itself verifies.
 * Findings have the compliance shape (article, Art. 30 item, stable code, seqs).
 */
import { fromHex, toHex } from '../bytes';
import type { Finding, LiabilityItem } from '../compliance/finding';
import { compareFindings } from '../compliance/finding';
import type { ContentStore } from '../content/store';
import { verifyContent } from '../content/verify';
import { enforcementKinds } from '../domain/definitions';
import { LISTING_INDEXES } from '../domain/spec';
import { type EntryIndex, indexEntries } from '../ledger/entry-index';
import type { Ledger } from '../ledger/ledger';
import type { CheckResult } from '../problems';
import { CONTENT_INDEX } from '../ledger/rows';
import type { KindDefinition, StoredEntry } from '../ledger/types';
import { RET } from './kind-names';
import { isRetentionKind, retentionKinds } from './kinds';
import { DEFAULT_RETENTION_POLICY, type RetentionPolicy, policyHash } from './policy';
import { type PurgeProblemCode, evaluatePurge } from './purge-check';
import { identify } from './records';
import { cutReader, indexReader } from './reader';
import { PROBLEMS } from '../problems';

export interface RetentionVerifyOptions {
  /** The policy in force (default: the Jincheng default). */
  readonly policy?: RetentionPolicy;
  /** Earlier policies that purge entries may cite (Art. 33: tables change). */
  readonly formerPolicies?: readonly RetentionPolicy[];
  /** Re-hash every present content against its ref (slow: reads every byte). Default false: presence only. */
  readonly rehash?: boolean;
  /**
   * The log's rows recomputed from its entries (`indexLog`), when already built for another verification of the same
   * ledger (verifyArchive shares one); default: built here.
   */
  readonly index?: EntryIndex;
}

/**
 * Scans `ledger` and recomputes every entry's rows with `kinds` (the ledger's own definitions first): what the
 * retention and access verifications look entries up through, so that they are driven by the entries, not by the
 * stored (derived) rows.
 */
export function indexLog(ledger: Ledger, kinds: readonly KindDefinition[]): Promise<EntryIndex> {
  const own = new Map(kinds.map((k) => [k.kind, k]));
  return indexEntries(ledger, (kind) => ledger.kinds.get(kind) ?? own.get(kind), { skip: LISTING_INDEXES });
}

export interface RetentionReport {
  /** No violation. */
  readonly ok: boolean;
  readonly findings: Finding[];
  readonly stats: {
    readonly contents: number;
    readonly present: number;
    readonly purged: number;
    readonly missing: number;
    readonly purges: number;
  };
  /** The named checks: every purge lawful at its position; every committed content present or lawfully purged. */
  readonly checks: readonly CheckResult<'purges' | 'contents'>[];
}

export type RetentionFindingCode =
  | 'CONTENT_MISSING_UNPURGED'
  | 'CONTENT_MODIFIED'
  | 'PURGE_INCOMPLETE'
  | PurgeProblemCode;

function purgeFinding(
  code: RetentionFindingCode,
  seqs: readonly number[],
  detail: string | { readonly zh: string; readonly en: string },
  evidence: Finding['evidence'] = {},
  severity: Finding['severity'] = 'violation',
): Finding {
  const m = PROBLEMS[code];
  const liability: LiabilityItem = '30(4)';
  return {
    rule: code.startsWith('PURGE') ? 'ret-purge' : 'ret-content',
    article: '27',
    liability,
    severity,
    seqs: [...new Set(seqs)].sort((a, b) => a - b),
    code,
    message: {
      zh: `${m.zh}：${typeof detail === 'string' ? detail : detail.zh}`,
      en: `${m.en}: ${typeof detail === 'string' ? detail : detail.en}`,
    },
    evidence,
  };
}

/** `the file 836fb695ca701a61… of enf/document DOC-13 (entry #74)`: the record an auditor looks for, and the digest. */
async function recordOf(ledger: Ledger, seq: number, hex: string): Promise<{ zh: string; en: string }> {
  const e = await ledger.get(seq);
  const id = identify(e).id;
  const rec = `${e.kind}${id ? ` ${id}` : ''}`;
  return {
    zh: `${rec}（条目 #${seq}）的文件 ${hex.slice(0, 16)}…`,
    en: `the file ${hex.slice(0, 16)}… of ${rec} (entry #${seq})`,
  };
}

/** Checks every committed content and every purge entry of `ledger` against `store`. */
export async function verifyRetention(
  ledger: Ledger,
  store: ContentStore,
  opts: RetentionVerifyOptions = {},
): Promise<RetentionReport> {
  const policy = opts.policy ?? DEFAULT_RETENTION_POLICY;
  const policies = new Map<string, RetentionPolicy>();
  for (const p of [policy, ...(opts.formerPolicies ?? [])]) policies.set(policyHash(p, ledger.suite.hash), p);
  const findings: Finding[] = [];
  const index = opts.index ?? (await indexLog(ledger, [...enforcementKinds(), ...retentionKinds(policy)]));
  const full = indexReader(ledger, index);

  // 1. Each purge entry (found by its kind in the log), judged as of its own position.
  const lawful = new Map<string, number>(); // `${seq}:${hex}` → purge seq
  const named = new Set<string>();
  const purges = index.ofKind(RET.purge);
  for (const ps of purges) {
    const e: StoredEntry = await ledger.get(ps);
    if (!isRetentionKind(e, RET.purge)) continue; // found by its kind
    const body = e.body;
    for (const t of body.targets) named.add(`${t.seq}:${toHex(t.digest)}`);
    const cited = policies.get(body.policy);
    const ev = await evaluatePurge(cutReader(full, ps), body, e.time, cited ?? policy);
    for (const p of ev.problems)
      findings.push(
        purgeFinding(p.code, [ps, ...p.seqs], p.message, {
          purgeSeq: ps,
          ...(p.target === undefined ? {} : { target: p.target }),
        }),
      );
    if (ev.problems.length === 0)
      for (const t of body.targets) {
        const hex = toHex(t.digest);
        lawful.set(`${t.seq}:${hex}`, ps);
        if (await store.has(t.digest))
          findings.push(
            purgeFinding(
              'PURGE_INCOMPLETE',
              [ps, t.seq],
              `entry ${t.seq} content ${hex.slice(0, 16)}…`,
              { purgeSeq: ps, digest: hex },
              'warning',
            ),
          );
      }
  }

  // 2. Every committed content: present, or lawfully purged.
  let contents = 0;
  let present = 0;
  let purged = 0;
  let missing = 0;
  for (const { key: hex, seq } of index.range(CONTENT_INDEX)) {
    contents++;
    const digest = fromHex(hex);
    if (await store.has(digest)) {
      present++;
      if (opts.rehash) {
        const ref = (await ledger.get(seq)).content.find((c) => toHex(c.digest) === hex)!;
        const check = await verifyContent(store, ref);
        if (check.code !== 'CONTENT_OK')
          findings.push(
            purgeFinding('CONTENT_MODIFIED', [seq], `${hex.slice(0, 16)}…: ${check.code}`, {
              digest: hex,
              check: check.code,
            }),
          );
      }
      continue;
    }
    if (lawful.has(`${seq}:${hex}`)) {
      purged++;
      continue;
    }
    missing++;
    const tomb = await store.purgedBy(digest);
    if (!named.has(`${seq}:${hex}`))
      findings.push(
        purgeFinding('CONTENT_MISSING_UNPURGED', [seq], await recordOf(ledger, seq, hex), {
          digest: hex,
          ...(tomb === undefined ? {} : { tombstonePurgeSeq: tomb }),
        }),
      );
    // Otherwise a purge names it but was unlawful: reported with that purge's codes above.
  }
  findings.sort(compareFindings);
  // A warning (PURGE_INCOMPLETE) is reported but does not fail its check.
  const count = (rule: string) =>
    findings.filter((f) => f.rule === rule && f.severity === 'violation').length;
  const checks = [
    { name: 'purges', n: count('ret-purge'), detail: `${purges.length} purge(s)` },
    {
      name: 'contents',
      n: count('ret-content'),
      detail: `${contents} content(s)${opts.rehash ? ', re-hashed' : ', presence only'}`,
    },
  ].map(
    (c) =>
      ({
        name: c.name as 'purges' | 'contents',
        status: c.n ? 'failed' : 'passed',
        problems: c.n,
        detail: c.detail,
      }) as const,
  );
  return {
    ok: !findings.some((f) => f.severity === 'violation'),
    findings,
    stats: { contents, present, purged, missing, purges: purges.length },
    checks,
  };
}
