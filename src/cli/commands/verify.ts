/**
 * `verify`: the whole ledger (or, with `--since <checkpoint>`, what follows a trusted checkpoint), against
 * checkpoints held outside (`--checkpoint <file>`, repeatable), and with `--content` every stored file re-hashed.
 * Works on a damaged store (Ledger.verify does not need it to open). Exit 1 when any problem is found.
 */
import { field as fieldOf } from '../../guards';
import { readFile } from 'node:fs/promises';
import { toHex } from '../../bytes';
import { verifyContent } from '../../content';
import { SPEC_BY_KIND } from '../../domain/kinds';
import { verifyRecords } from '../../domain/verify';
import { describeProblem } from '../../problems';
import { Ledger } from '../../ledger';
import { openForReading } from '../../ledger/level-store';
import { isPostgresUrl } from '../../ledger/pg-store';
import { StorageError } from '../../errors';
import type { ContentRef, StoredEntry } from '../../ledger/types';
import type { Ctx, Outcome } from '../context';
import { errorDetailZh } from '../error-details';
import { CliError } from '../exit';
import { folderKinds, ledgerLocation, openStore, readConfig } from '../folder';
import type { OutputOf } from '../schemas';
import { type ArchiveData, archiveFindings, archiveLines, archiveViolations } from './archive';

const sizes = (xs: readonly number[]) =>
  xs.length > 6 ? `${xs.slice(0, 3).join(', ')}, …, ${xs.slice(-2).join(', ')}` : xs.join(', ');

type Data = Omit<OutputOf<'verify'>, 'format' | 'command'>;
type ContentReport = NonNullable<Data['content']>;

const CONTENT_TEXT: Record<string, { zh: string; en: string }> = {
  CONTENT_MISSING: { zh: '文件缺失', en: 'file missing' },
  CONTENT_TRUNCATED: { zh: '文件被截短', en: 'file truncated' },
  CONTENT_EXTENDED: { zh: '文件被加长', en: 'file extended' },
  CONTENT_MODIFIED: { zh: '文件内容被修改', en: 'file modified' },
  CONTENT_SIDECAR_MISMATCH: { zh: '文件内容被修改（位置未知）', en: 'file modified (location unknown)' },
};

/**
 * The entries that can be read, in order: a damaged one is skipped (the ledger verify reports it, located), so the
 * content of every other entry is still checked.
 */
async function* readableEntries(ledger: Ledger): AsyncGenerator<StoredEntry> {
  let from = 0;
  while (from < ledger.size) {
    try {
      for await (const e of ledger.entries({ from })) {
        from = e.seq + 1;
        yield e;
      }
      return;
    } catch (err) {
      if (!(err instanceof StorageError)) throw err;
      from++;
    }
  }
}

/** The folder's ledger opened only to be read, and how to close it (and remove its private copy, if any). */
interface Reading {
  readonly ledger: Ledger;
  close(): Promise<void>;
}

/**
 * Opens the folder's ledger once for the record, checkpoint and content checks, the way the ledger verify reads it
 * (`openForReading`): a write-protected folder (read-only media, no write permission) or one a writer holds is read
 * through a private copy, never locked or written. A store too damaged to open gives its StorageError: those checks
 * are not done (the ledger verify says where the damage is).
 */
async function openToRead(location: string): Promise<Reading | StorageError> {
  if (isPostgresUrl(location)) {
    // PostgreSQL: no lock to avoid; reading opens nothing for writing and changes nothing.
    try {
      const ledger = await Ledger.open(location, { kinds: folderKinds() });
      return { ledger, close: () => ledger.close() };
    } catch (err) {
      if (err instanceof StorageError) return err;
      throw err;
    }
  }
  let held: Awaited<ReturnType<typeof openForReading>>;
  try {
    held = await openForReading(location);
  } catch (err) {
    if (err instanceof StorageError) return err;
    throw err;
  }
  try {
    const ledger = await Ledger.open(held.db, { kinds: folderKinds() });
    return {
      ledger,
      close: async () => {
        await ledger.close();
        await held.close();
      },
    };
  } catch (err) {
    await held.close();
    if (err instanceof StorageError) return err;
    throw err;
  }
}

async function checkContent(
  ctx: Ctx,
  dir: string,
  reading: Reading | StorageError,
): Promise<{ content: ContentReport | null; archive: ArchiveData | null; unchecked?: string }> {
  if (reading instanceof StorageError) return { content: null, archive: null, unchecked: reading.message };
  const { ledger } = reading;
  const store = await openStore(dir);
  const refs: Array<{ seq: number; kind: string; recordId: string | null; ref: ContentRef }> = [];
  for await (const e of readableEntries(ledger))
    for (const ref of e.content) refs.push({ seq: e.seq, kind: e.kind, recordId: recordIdOf(e), ref });
  const total = refs.reduce((n, r) => n + r.ref.size, 0);
  const bar = ctx.progress({ label: 'content', total, unit: 'bytes' });
  const out: ContentReport = { files: refs.length, ok: 0, purged: 0, bytes: 0, problems: [] };
  try {
    for (const { seq, kind, recordId, ref } of refs) {
      const base = out.bytes;
      const r = await verifyContent(store, ref, { onProgress: (p) => bar.update(base + p.bytesDone) });
      out.bytes += ref.size;
      bar.update(out.bytes);
      if (r.status === 'ok') {
        out.ok++;
        continue;
      }
      const digest = toHex(ref.digest);
      if (r.status === 'missing' && r.purgeSeq !== undefined && r.purgeSeq < ledger.size) {
        // A lawful purge is accounted for by its entry in the log (docs/ARCHITECTURE.md invariant 3).
        const purge = await ledger.get(r.purgeSeq);
        if (purge.kind.includes('purge')) {
          out.purged++;
          continue;
        }
      }
      const where =
        'changedChunks' in r && r.changedChunks?.length
          ? ` at bytes ${r.changedChunks.map((c) => `[${c.start}, ${c.end})`).join(', ')}`
          : '';
      out.problems.push({
        seq,
        kind,
        recordId,
        digest,
        code: r.code,
        message: `${CONTENT_TEXT[r.code]?.en ?? r.code}: the file of ${kind} ${recordId ?? `#${seq}`}${where}`,
      });
    }
  } finally {
    bar.stop();
  }
  let archive: ArchiveData | null = null;
  let unchecked: string | undefined;
  try {
    archive = await archiveFindings(ledger, store);
  } catch (err) {
    if (!(err instanceof StorageError)) throw err;
    unchecked = `retention and access not checked: ${err.message}`;
  }
  return unchecked === undefined ? { content: out, archive } : { content: out, archive, unchecked };
}

/** The id a record defines (`DOC-1`, `SEG-3`): what an auditor looks for, rather than a digest. */
function recordIdOf(e: { kind: string; body: unknown }): string | null {
  const field = SPEC_BY_KIND.get(e.kind)?.defines?.field;
  const id = field === undefined ? undefined : fieldOf(e.body, field);
  return typeof id === 'string' ? id : null;
}

/** The sizes of the checkpoints recorded in the log, oldest first; null when it cannot be opened. */
async function logCheckpoints(reading: Reading | StorageError): Promise<number[] | null> {
  if (reading instanceof StorageError) return null;
  try {
    return (await reading.ledger.checkpoints())
      .map((note) => Number(/^[^\n]*\n(\d+)\n/.exec(note)?.[1] ?? Number.NaN))
      .filter(Number.isSafeInteger)
      .reverse();
  } catch {
    return null;
  }
}

/**
 * The enforcement records' own checks (ids, references, state, the archive lock) replayed as of each record's
 * position: what a record written straight into the store, bypassing append, breaks (docs/ARCHITECTURE.md invariant 2). Null
 * when the ledger cannot be opened (the ledger verify has reported why).
 */
async function checkRecords(reading: Reading | StorageError, from: number): Promise<Data['records']> {
  if (reading instanceof StorageError) return null;
  const { ledger } = reading;
  const r = await verifyRecords(ledger, { from: Math.min(from, ledger.size) });
  return {
    checked: r.checked,
    problems: r.problems.map((p) => ({
      seq: p.seq,
      code: p.code,
      issue: p.issue,
      path: p.path.join('.'),
      message: p.message,
    })),
  };
}

export async function verify(
  ctx: Ctx,
  opts: { content?: boolean; since?: string; checkpoint?: readonly string[]; records?: boolean },
): Promise<Outcome> {
  // A PostgreSQL URL in place of the folder: the ledger alone (no content store, no config).
  const url = isPostgresUrl(ctx.dir) ? ctx.dir : undefined;
  if (url !== undefined && opts.content)
    throw new CliError(
      'USAGE',
      '--content needs the ledger folder (its content store); a postgres:// URL is the ledger only',
    );
  const location = url ?? ledgerLocation(ctx.dir, await readConfig(ctx.dir));
  const checkpoints = await Promise.all((opts.checkpoint ?? []).map((f) => readFile(f, 'utf8')));
  const since = opts.since === undefined ? undefined : await readFile(opts.since, 'utf8');
  const bar = ctx.progress({ label: 'verify', total: 0, unit: 'entries' });
  let report: Awaited<ReturnType<typeof Ledger.verify>> & { stats?: Data['stats'] };
  try {
    report = await Ledger.verify(location, {
      kinds: folderKinds(),
      checkpoints,
      ...(since !== undefined ? { since } : {}),
      onProgress: (p) => bar.update(p.done, p.total),
    });
  } finally {
    bar.stop();
  }
  const sinceSize = since === undefined ? null : Number(/^[^\n]*\n(\d+)\n/.exec(since)?.[1] ?? 0);
  const reading = await openToRead(location);
  let records: Data['records'];
  let inLog: number[] | null;
  let checked: Awaited<ReturnType<typeof checkContent>> | null;
  try {
    records = opts.records === false ? null : await checkRecords(reading, sinceSize ?? 0);
    inLog = await logCheckpoints(reading);
    checked = opts.content ? await checkContent(ctx, ctx.dir, reading) : null;
  } finally {
    if (!(reading instanceof StorageError)) await reading.close();
  }
  const content = checked?.content ?? null;
  const archive = checked?.archive ?? null;
  const stats = report.stats ?? { entries: 0, signatures: 0, nodes: 0, indexRows: 0, checkpoints: 0 };
  const data: Data = {
    ok:
      report.ok &&
      (records === null || records.problems.length === 0) &&
      (content === null || content.problems.length === 0) &&
      archiveViolations(archive) === 0,
    size: report.size,
    root: toHex(report.root),
    since: sinceSize,
    checkpoints: checkpoints.length,
    logCheckpoints: inLog,
    problems: report.problems.map((p) => ({ seq: p.seq, code: p.code, message: p.message })),
    checks: report.checks.map((c) => ({ ...c })),
    stats: { ...stats },
    records,
    content,
    archive,
  };
  const found =
    data.problems.length +
    (records?.problems.length ?? 0) +
    (content?.problems.length ?? 0) +
    archiveViolations(archive);
  return {
    command: 'verify',
    exit: data.ok ? 0 : 1,
    data,
    human: (l) => {
      const zh = l === 'zh';
      const lines = [
        data.ok
          ? zh
            ? `核验通过：${data.size} 条记录，root ${data.root}`
            : `OK: ${data.size} entries, root ${data.root}`
          : zh
            ? `发现问题：${found} 项（${data.size} 条记录）`
            : `PROBLEMS: ${found} found (${data.size} entries)`,
      ];
      if (sinceSize !== null)
        lines.push(
          zh ? `  增量核验：自检查点 ${sinceSize} 起` : `  incremental: from checkpoint at size ${sinceSize}`,
        );
      if (inLog !== null)
        lines.push(
          zh
            ? `  台账内检查点：${inLog.length} 个${inLog.length ? `（规模 ${sizes(inLog)}）` : ''}；外部提供的检查点：${checkpoints.length} 个`
            : `  checkpoints in the log: ${inLog.length}${inLog.length ? ` (sizes ${sizes(inLog)})` : ''}; given (--checkpoint): ${checkpoints.length}`,
        );
      else if (checkpoints.length)
        lines.push(
          zh ? `  外部提供的检查点：${checkpoints.length} 个` : `  given checkpoints: ${checkpoints.length}`,
        );
      if (checkpoints.length === 0 && sinceSize === null)
        // What the ledger alone cannot show (issue 13.8): say it every time, not only in the docs.
        lines.push(
          zh
            ? '  未提供在别处保存的检查点：仅凭台账本身无法发现截断、分叉，或持有全部密钥者的改写（用 --checkpoint <文件> 核对见证人或检查人员保存的检查点）'
            : '  no checkpoint held elsewhere: truncation, a fork, or a rewrite by someone holding every key cannot be detected from the ledger alone (pass --checkpoint <file> with a witness’s or an inspector’s checkpoint)',
        );
      // stats.checkpoints counts the checkpoints held elsewhere (--checkpoint) the log was compared with,
      // not those recorded in it (listed above).
      lines.push(
        zh
          ? `  签名 ${stats.signatures}，树节点 ${stats.nodes}，索引行 ${stats.indexRows}，已比对的外部检查点 ${stats.checkpoints} 个`
          : `  signatures ${stats.signatures}, tree nodes ${stats.nodes}, index rows ${stats.indexRows}, held checkpoints compared ${stats.checkpoints}`,
      );
      for (const p of data.problems)
        lines.push(`  #${p.seq} ${p.code}${zh ? `：${describeProblem(p.code, 'zh')}` : `: ${p.message}`}`);
      if (records) {
        lines.push(
          zh
            ? `  执法记录核查（编号、引用、状态、归档锁定）：${records.checked} 条`
            : `  enforcement record checks (ids, references, state, archive lock): ${records.checked}`,
        );
        for (const p of records.problems)
          lines.push(
            zh
              ? `  #${p.seq} ${p.code} ${p.issue} ${p.path}：${describeProblem(p.code, 'zh')}`
              : `  #${p.seq} ${p.code} ${p.issue} ${p.path}: ${p.message}`,
          );
      }
      if (checked?.unchecked)
        lines.push(
          zh
            ? `  文件未全部核验（存储损坏，见上文问题）：${errorDetailZh(checked.unchecked)}`
            : `  not all of the content checked (the store is damaged, see the problems above): ${checked.unchecked}`,
        );
      if (content) {
        lines.push(
          zh
            ? `  文件：${content.files} 个，完好 ${content.ok}，依法清除 ${content.purged}`
            : `  files: ${content.files}, intact ${content.ok}, lawfully purged ${content.purged}`,
        );
        for (const p of content.problems)
          lines.push(
            zh
              ? `  #${p.seq} ${p.code} ${p.kind} ${p.recordId ?? ''} ${p.digest.slice(0, 16)}…：${CONTENT_TEXT[p.code]?.zh ?? describeProblem(p.code, 'zh')}${p.message.includes(' at bytes ') ? `，位置 ${p.message.slice(p.message.indexOf(' at bytes ') + 10)}` : ''}`
              : `  #${p.seq} ${p.code} ${p.digest.slice(0, 16)}…: ${p.message}`,
          );
      }
      if (archive) {
        const { retention: r, access: a } = archive;
        lines.push(
          zh
            ? `  保存与调阅：销毁 ${r.purges} 次，调阅 ${a.retrievals} 次（拒绝 ${a.refused}），公开 ${a.disclosures} 次`
            : `  retention and access: ${r.purges} purge(s), ${a.retrievals} retrieval(s) (${a.refused} refused), ${a.disclosures} disclosure(s)`,
          ...archiveLines(archive, zh),
        );
      }
      return lines.join('\n');
    },
  };
}
