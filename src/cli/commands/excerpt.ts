/**
 * Chunk excerpts (docs/FORMAT.md §Chunk excerpt) from the command line:
 * - `excerpt <record> --chunk <i> --out <file> --requester <id> [--approval <id>] --key <k>`: chunk i (1 MiB) of a
 *   document, segment or data record's file (or of entry <seq>'s), with its inclusion proof against the recorded
 *   chunkRoot, written as an excerpt file (src/cli/excerpt-file.ts). It is a retrieval (Art. 24–25): judged and
 *   logged by `Access.retrieveExcerpt` like `retrieve`, refused (and logged) without a valid approval. A chunk index
 *   beyond the file is EXCERPT_OUT_OF_RANGE (exit 2), nothing written.
 * - `verify-excerpt <file>`: checks it against this ledger, as a checklist that stops at the first failure: the same
 *   ledger; the entry exists with that kind; its signature; its inclusion in the newest signed checkpoint covering it
 *   (or `--checkpoint`, or else the current tree); the file is one of the entry's content refs; the chunk and its
 *   proof lead to that chunkRoot (`verifyChunkExcerpt`). A failed check is exit 1 with its code; an unreadable file
 *   exit 2 (EXCERPT_MALFORMED).
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { bytesEqual, fromHex, toHex } from '../../bytes';
import { chunkCount } from '../../content/chunk-format';
import { ACC, Access } from '../../access';
import { verifyChunkExcerpt } from '../../content';
import { CryptoError, StorageError } from '../../errors';
import type { Ledger } from '../../ledger';
import { contentRefEqual, decodeSignedEntry, signingMessage } from '../../ledger/format';
import type { StoredEntry } from '../../ledger/types';
import { hashLeaf } from '../../merkle/hash';
import { verifyInclusion } from '../../merkle/verify';
import { describeProblem } from '../../problems';
import { PURGED_INDEX } from '../../retention/kinds';
import { identify } from '../../retention/records';
import type { Ctx, Outcome } from '../context';
import { errorDetailZh } from '../error-details';
import { CliError } from '../exit';
import { decodeExcerptFile, encodeExcerptFile } from '../excerpt-file';
import { loadSigner, openStore, withFolder } from '../folder';
import type { OutputOf } from '../schemas';
import { appendedSince } from './appended';
import { requireDeclared } from './retention';
import { resolveRecord } from './scope';

export interface ExcerptOptions {
  readonly chunk: string;
  readonly out: string;
  readonly digest?: string;
  readonly requester: string;
  readonly approval?: string;
  readonly purpose?: string;
  readonly key: string;
}

export async function excerpt(ctx: Ctx, record: string, o: ExcerptOptions): Promise<Outcome> {
  if (!/^\d+$/.test(o.chunk) || !Number.isSafeInteger(Number(o.chunk)))
    throw new CliError('USAGE', '--chunk must be a chunk number (0 is the first MiB)');
  const index = Number(o.chunk);
  if (o.digest !== undefined && !/^[0-9a-fA-F]{64}$/.test(o.digest))
    throw new CliError('USAGE', '--digest must be 64 hex digits (SHA-256)');
  if (await stat(o.out).catch(() => undefined))
    throw new StorageError('STORAGE_EXISTS', `--out ${o.out} exists (not overwritten)`);
  const signer = await loadSigner(ctx.dir, o.key);
  const store = await openStore(ctx.dir);
  return withFolder(ctx, async (f) => {
    const ledger = f.records.ledger;
    const entry = await resolveRecord(ledger, record);
    const wanted = o.digest === undefined ? undefined : fromHex(o.digest.toLowerCase());
    const ref = entry.content.find((c) => wanted === undefined || bytesEqual(c.digest, wanted));
    if (!ref)
      throw new CliError(
        'NOT_FOUND',
        `entry #${entry.seq} (${entry.kind}) commits ${wanted ? 'no file with that digest' : 'no file'}`,
      );
    const chunks = chunkCount(ref.size);
    if (index >= chunks)
      throw new CliError(
        'EXCERPT_OUT_OF_RANGE',
        `--chunk ${index}: the file of entry #${entry.seq} (${ref.size} bytes) has ${chunks} chunk(s)${chunks ? `, 0–${chunks - 1}` : ''}`,
      );
    const hex = toHex(ref.digest);
    if (!(await store.has(ref.digest)) && (await ledger.lookup(PURGED_INDEX, hex)).length > 0)
      throw new CliError(
        'CONTENT_PURGED',
        `the file of entry #${entry.seq} was purged after its retention expired`,
      );
    // A partial retrieval (Art. 24–25): judged and logged like `retrieve`, the event naming the chunk; a refusal is
    // logged and thrown (exit 2, its entry named), as for `retrieve`.
    requireDeclared(ledger, ACC.retrieval);
    const access = new Access(ledger, store, { clock: ctx.clock });
    const granted = await access.retrieveExcerpt(
      { seq: entry.seq, digest: ref.digest },
      index,
      {
        requesterId: o.requester,
        ...(o.approval === undefined ? {} : { approvalId: o.approval }),
        ...(o.purpose === undefined ? {} : { purpose: o.purpose }),
      },
      signer,
    );
    const ex = granted.excerpt;
    const [event] = await appendedSince(ledger, granted.event.seq);
    const id = identify(entry);
    await writeFile(
      o.out,
      encodeExcerptFile({
        origin: ledger.origin,
        ledgerId: ledger.ledgerId,
        seq: entry.seq,
        kind: entry.kind,
        recordId: id.id,
        caseId: id.caseId,
        ref,
        index,
        start: ex.start,
        end: ex.end,
        bytes: ex.bytes,
        proof: ex.proof,
      }),
      { flag: 'wx', mode: 0o600 },
    );
    const data: Omit<OutputOf<'excerpt'>, 'format' | 'command'> = {
      file: o.out,
      seq: entry.seq,
      kind: entry.kind,
      recordId: id.id ?? null,
      caseId: id.caseId ?? null,
      content: { digest: hex, size: ref.size, chunkRoot: toHex(ref.chunkRoot) },
      chunk: { index, start: ex.start, end: ex.end, chunks, proofLength: ex.proof.length },
      event: event!,
      requesterId: o.requester,
      approvalId: o.approval ?? null,
    };
    const name = `${entry.kind}${id.id ? ` ${id.id}` : ''}`;
    return {
      command: 'excerpt',
      exit: 0,
      data,
      human: (l) =>
        l === 'zh'
          ? `调阅（摘录）已批准并登记（#${event!.seq}）：条目 #${entry.seq}（${name}）所登记文件的第 ${index} 块（共 ${chunks} 块，第 ${ex.start}–${ex.end} 字节）及其证明，写入 ${o.out}`
          : `Retrieval (excerpt) granted and recorded (#${event!.seq}): entry #${entry.seq} (${name}), chunk ${index} of ${chunks} (bytes ${ex.start}–${ex.end}) with its proof, written to ${o.out}`,
    };
  });
}

type VerifyData = Omit<OutputOf<'verify-excerpt'>, 'format' | 'command'>;
type CheckName = keyof VerifyData['checks'];
const CHECKS: readonly CheckName[] = ['ledger', 'record', 'signature', 'inclusion', 'content', 'chunk'];
/** The checklist under `--lang zh` (`--json` keeps the names and statuses above). */
const CHECK_ZH: Record<CheckName, string> = {
  ledger: '同一台账',
  record: '记录',
  signature: '签名',
  inclusion: '包含证明',
  content: '所登记文件',
  chunk: '数据块及其证明',
};
const STATUS_ZH: Record<VerifyData['checks'][CheckName], string> = {
  pass: '通过',
  fail: '未通过',
  skipped: '未检查',
};

/** The signed checkpoint to prove entry `seq` against: `--checkpoint`, else the newest in the log covering it. */
async function anchorOf(ledger: Ledger, seq: number, checkpointFile: string | undefined) {
  if (checkpointFile !== undefined) {
    const cp = ledger.verifyOwnCheckpoint(await readFile(checkpointFile, 'utf8'));
    if (cp.size <= seq)
      throw new CliError(
        'USAGE',
        `--checkpoint ${checkpointFile} (size ${cp.size}) does not cover entry ${seq}`,
      );
    return { source: 'file' as const, size: cp.size, root: cp.rootHash };
  }
  // Checkpoints only grow: when the newest does not cover the entry, none does.
  const [note] = await ledger.checkpoints(1);
  const cp = note === undefined ? undefined : ledger.verifyOwnCheckpoint(note);
  if (cp && cp.size > seq) return { source: 'log' as const, size: cp.size, root: cp.rootHash };
  return { source: 'tree' as const, size: ledger.size, root: await ledger.root() };
}

export async function verifyExcerpt(ctx: Ctx, file: string, o: { checkpoint?: string }): Promise<Outcome> {
  const x = decodeExcerptFile(await readFile(file, 'utf8'), file);
  return withFolder(ctx, async (f) => {
    const ledger = f.records.ledger;
    const checks = Object.fromEntries(CHECKS.map((c) => [c, 'skipped'])) as VerifyData['checks'];
    let code = 'EXCERPT_OK';
    let message = '';
    let range: VerifyData['range'] = null;
    let anchor: VerifyData['anchor'] = null;
    /** Records a check; false stops the list. */
    const check = (name: CheckName, ok: boolean, failCode: string, failMessage: string): boolean => {
      checks[name] = ok ? 'pass' : 'fail';
      if (!ok) {
        code = failCode;
        message = failMessage;
      }
      return ok;
    };
    const seq = x.file.seq;
    let entry: StoredEntry | undefined;
    const run = async () => {
      if (
        !check(
          'ledger',
          x.file.ledgerId === toHex(ledger.ledgerId) && x.file.origin === ledger.origin,
          'EXCERPT_OTHER_LEDGER',
          `the excerpt is from ledger ${x.file.origin} (${x.file.ledgerId.slice(0, 16)}…), not this one (${ledger.origin})`,
        )
      )
        return;
      entry = seq < ledger.size ? await ledger.get(seq) : undefined;
      if (
        !check(
          'record',
          entry !== undefined && entry.kind === x.file.kind,
          entry === undefined ? 'EXCERPT_NO_RECORD' : 'EXCERPT_RECORD_MISMATCH',
          entry === undefined
            ? `the excerpt names entry ${seq}; the log has ${ledger.size}`
            : `entry ${seq} is ${entry.kind}, the excerpt says ${x.file.kind}`,
        )
      )
        return;
      const e = entry!;
      const key = ledger.keys.keys.get(e.signer);
      const signed = decodeSignedEntry(e.bytes);
      if (
        !check(
          'signature',
          key !== undefined &&
            ledger.suite.verify(key.publicKey, signingMessage(signed.entryBytes), signed.signature),
          'EXCERPT_RECORD_SIGNATURE',
          `entry ${seq}'s signature does not verify against its signer's registered key (run verify)`,
        )
      )
        return;
      const a = await anchorOf(ledger, seq, o.checkpoint);
      anchor = { source: a.source, size: a.size, root: toHex(a.root) };
      let included = false;
      try {
        const proof = await ledger.inclusionProof(seq, a.size);
        included = verifyInclusion(
          ledger.suite.hash,
          seq,
          a.size,
          hashLeaf(ledger.suite.hash, e.bytes),
          proof,
          a.root,
        );
      } catch (err) {
        if (!(err instanceof CryptoError || err instanceof RangeError)) throw err;
      }
      if (
        !check(
          'inclusion',
          included,
          'EXCERPT_RECORD_NOT_INCLUDED',
          a.size > ledger.size
            ? `the checkpoint (size ${a.size}) is larger than this ledger (${ledger.size}): run verify --checkpoint`
            : `entry ${seq} does not prove its inclusion in the ${a.source === 'tree' ? 'tree' : 'checkpoint'} of size ${a.size} (run verify)`,
        )
      )
        return;
      if (
        !check(
          'content',
          e.content.some((c) => contentRefEqual(c, x.ref)),
          'EXCERPT_REF_NOT_IN_RECORD',
          `entry ${seq} commits no file ${x.file.content.digest.slice(0, 16)}… of ${x.ref.size} bytes with that chunkRoot`,
        )
      )
        return;
      const r = verifyChunkExcerpt(ledger.suite.hash, x.ref, {
        index: x.index,
        bytes: x.bytes,
        proof: x.proof,
      });
      if (!check('chunk', r.ok, r.code, r.message)) return;
      const claimed = x.file.chunk;
      if (r.range!.start !== claimed.start || r.range!.end !== claimed.end) {
        check(
          'chunk',
          false,
          'EXCERPT_RANGE_MISMATCH',
          `the excerpt claims bytes ${claimed.start}–${claimed.end}; chunk ${x.index} is bytes ${r.range!.start}–${r.range!.end}`,
        );
        return;
      }
      range = { start: r.range!.start, end: r.range!.end };
      message = r.message;
    };
    await run();
    const id = entry ? identify(entry).id : undefined;
    const data: VerifyData = {
      file,
      ok: code === 'EXCERPT_OK',
      code,
      message,
      checks,
      seq,
      kind: x.file.kind,
      recordId: id ?? x.file.recordId,
      digest: x.file.content.digest,
      index: x.index,
      range,
      anchor,
    };
    const list = (zh: boolean) =>
      CHECKS.map((c) => (zh ? `  ${CHECK_ZH[c]}：${STATUS_ZH[checks[c]]}` : `  ${c}: ${checks[c]}`)).join(
        '\n',
      );
    const name = `${data.kind}${data.recordId ? ` ${data.recordId}` : ''}`;
    const where = (zh: boolean) => {
      const a = anchor as VerifyData['anchor'];
      if (!a) return '';
      if (a.source === 'tree')
        return zh
          ? `，包含于当前日志（${a.size} 条，尚无签名检查点覆盖）`
          : `, included in the current log (size ${a.size}; no signed checkpoint covers it yet)`;
      return zh
        ? `，包含于规模 ${a.size} 的签名检查点`
        : `, included in the signed checkpoint of size ${a.size}`;
    };
    return {
      command: 'verify-excerpt',
      exit: data.ok ? 0 : 1,
      data,
      human: (l) => {
        const zh = l === 'zh';
        const head = data.ok
          ? zh
            ? `摘录核验通过：第 ${range!.start}–${range!.end} 字节是条目 #${seq}（${name}）所登记文件 ${data.digest.slice(0, 16)}… 的第 ${data.index} 块${where(true)}`
            : `Excerpt verified: bytes ${range!.start}–${range!.end} are chunk ${data.index} of the file ${data.digest.slice(0, 16)}… recorded by entry #${seq} (${name})${where(false)}`
          : zh
            ? `摘录核验未通过：${code}：${describeProblem(code, 'zh')}。详情：${errorDetailZh(message)}`
            : `Excerpt NOT verified: ${code}: ${message}`;
        return `${head}\n${list(zh)}`;
      },
    };
  });
}
