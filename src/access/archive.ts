/**
 * The whole archive: the enforcement kinds with the retention and access kinds, and one verification of content,
 * purges, retrievals and disclosures. Open a ledger with `archiveKinds(…)` (the same options when verifying).
 */
import type { Signer } from '../crypto/types';
import type { ContentStore } from '../content/store';
import { type KindsOptions, enforcementKinds } from '../domain/definitions';
import type { Finding } from '../compliance/finding';
import { compareFindings } from '../compliance/finding';
import type { Ledger } from '../ledger/ledger';
import type { KindSet } from '../ledger/types';
import type { BodyByKind } from '../domain/bodies';
import { type RetentionBodies, retentionKinds } from '../retention/kinds';
import { DEFAULT_RETENTION_POLICY, type RetentionPolicy } from '../retention/policy';
import {
  type RetentionReport,
  type RetentionVerifyOptions,
  indexLog,
  verifyRetention,
} from '../retention/verify';
import { type AccessBodies, accessKinds } from './kinds';
import { type AccessReport, verifyAccess } from './verify';

export interface ArchiveKindsOptions extends KindsOptions {
  readonly policy?: RetentionPolicy;
}

/** Enforcement, retention and access kind definitions (pass to Ledger.create / open / verify). */
export function archiveKinds(opts: ArchiveKindsOptions = {}): KindSet<ArchiveBodies> {
  const policy = opts.policy ?? DEFAULT_RETENTION_POLICY;
  return [...enforcementKinds(opts), ...retentionKinds(policy), ...accessKinds(policy)];
}

/** Body type of every kind of the archive: enforcement, retention and access (type level). */
export type ArchiveBodies = BodyByKind & RetentionBodies & AccessBodies;

/** Declares the retention and access kinds in an existing ledger (admin signs) and makes them known here. */
export function declareArchiveKinds(
  ledger: Ledger,
  admin: Signer,
  policy: RetentionPolicy = DEFAULT_RETENTION_POLICY,
): Promise<void> {
  return ledger.declareKinds([...retentionKinds(policy), ...accessKinds(policy)], admin);
}

export interface ArchiveReport {
  readonly ok: boolean;
  /** Retention and access findings, in the compliance order. */
  readonly findings: Finding[];
  readonly retention: RetentionReport['stats'];
  readonly access: AccessReport['stats'];
  /** The retention checks then the access checks, each with its status. */
  readonly checks: ReadonlyArray<RetentionReport['checks'][number] | AccessReport['checks'][number]>;
}

/** verifyRetention + verifyAccess. */
export async function verifyArchive(
  ledger: Ledger,
  store: ContentStore,
  opts: RetentionVerifyOptions = {},
): Promise<ArchiveReport> {
  // One scan of the log serves both.
  const index =
    opts.index ?? (await indexLog(ledger, archiveKinds(opts.policy ? { policy: opts.policy } : {})));
  const r = await verifyRetention(ledger, store, { ...opts, index });
  const a = await verifyAccess(ledger, { ...(opts.policy ? { policy: opts.policy } : {}), index });
  const findings = [...r.findings, ...a.findings].sort(compareFindings);
  return {
    ok: r.ok && a.ok,
    findings,
    retention: r.stats,
    access: a.stats,
    checks: [...r.checks, ...a.checks],
  };
}
