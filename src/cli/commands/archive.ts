/**
 * Retention and access findings of a whole ledger for `verify --content` and `compliance` (ledger scope): every
 * committed content present or lawfully purged, every purge lawful at its point of the log, every granted retrieval
 * and disclosure covered by its approval (verifyArchive, presence only: `verify --content` re-hashes separately).
 */
import { verifyArchive } from '../../access/archive';
import type { ContentStore } from '../../content/store';
import type { Ledger } from '../../ledger';
import type { OutputOf } from '../schemas';

export type ArchiveData = NonNullable<OutputOf<'verify'>['archive']>;

export async function archiveFindings(ledger: Ledger, store: ContentStore): Promise<ArchiveData> {
  const r = await verifyArchive(ledger, store);
  return {
    ok: r.ok,
    findings: JSON.parse(JSON.stringify(r.findings)),
    retention: { ...r.retention },
    access: { ...r.access },
  };
}

export const archiveViolations = (a: ArchiveData | null): number =>
  a?.findings.filter((f) => f.severity === 'violation').length ?? 0;

/** One line per finding, as compliance prints them. */
export const archiveLines = (a: ArchiveData, zh: boolean): string[] =>
  a.findings.map(
    (x) =>
      `  [${x.severity}] ${zh ? `第${x.article}条` : `Art. ${x.article}`} ${x.code}: ${zh ? x.message.zh : x.message.en}`,
  );
