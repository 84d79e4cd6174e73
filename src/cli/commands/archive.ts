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

const SEVERITY_ZH: Record<string, string> = { violation: '违规', warning: '提示', info: '信息' };

/** One finding line, as `verify --content` and `compliance` print them. */
export const findingLine = (
  x: { severity: string; article: string; code: string; message: { zh: string; en: string } },
  zh: boolean,
): string =>
  zh
    ? `  [${SEVERITY_ZH[x.severity] ?? x.severity}] 第${x.article}条 ${x.code}：${x.message.zh}`
    : `  [${x.severity}] Art. ${x.article} ${x.code}: ${x.message.en}`;

/** One line per finding, as compliance prints them. */
export const archiveLines = (a: ArchiveData, zh: boolean): string[] =>
  a.findings.map((x) => findingLine(x, zh));
