/**
 * `retrieve`: a record's content under an approval (Art. 24–25; docs/ARCHITECTURE.md invariant 5). The library appends the
 * retrieval event first, granted or refused with its reason; a refusal is an error line (exit 2) naming the refusal's
 * entry. Granted, the bytes are written to `--out` (never over an existing file), re-hashed on the way: a file that
 * does not match its digest is removed and reported (exit 1).
 */
import { createWriteStream } from 'node:fs';
import { rename, stat, unlink } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { fromHex, toHex } from '../../bytes';
import { ACC, Access } from '../../access';
import { createStreamingHash } from '../../crypto/node-registry';
import { StorageError } from '../../errors';
import { CONTENT_INDEX } from '../../ledger/rows';
import type { Ctx, Outcome } from '../context';
import { CliError, EXIT } from '../exit';
import { loadSigner, openStore, withFolder } from '../folder';
import type { OutputOf } from '../schemas';
import { appendedSince } from './appended';
import { requireDeclared } from './retention';
import { resolveRecord } from './scope';

export interface RetrieveCmdOptions {
  /** A document, segment or data record id (DOC-1): the entry that defines it. */
  readonly record?: string;
  readonly seq?: string;
  readonly digest?: string;
  readonly requester: string;
  readonly approval?: string;
  readonly purpose?: string;
  readonly key: string;
  readonly out: string;
}

export async function retrieve(ctx: Ctx, o: RetrieveCmdOptions): Promise<Outcome> {
  if (o.record === undefined && o.seq === undefined && o.digest === undefined)
    throw new CliError('USAGE', 'give --record <id>, --seq <n> or --digest <hex> (the content to retrieve)');
  if (o.record !== undefined && o.seq !== undefined)
    throw new CliError('USAGE', 'give --record <id> or --seq <n>, not both');
  if (o.seq !== undefined && !/^\d+$/.test(o.seq))
    throw new CliError('USAGE', '--seq must be an entry number');
  if (o.digest !== undefined && !/^[0-9a-fA-F]{64}$/.test(o.digest))
    throw new CliError('USAGE', '--digest must be 64 hex digits (SHA-256)');
  if (await stat(o.out).catch(() => undefined))
    throw new StorageError('STORAGE_EXISTS', `--out ${o.out} exists (not overwritten)`);
  const signer = await loadSigner(ctx.dir, o.key);
  const store = await openStore(ctx.dir);
  return withFolder(ctx, async (f) => {
    const ledger = f.records.ledger;
    requireDeclared(ledger, ACC.retrieval);
    const digest = o.digest === undefined ? undefined : fromHex(o.digest.toLowerCase());
    let seq =
      o.record !== undefined
        ? (await resolveRecord(ledger, o.record)).seq
        : o.seq === undefined
          ? undefined
          : Number(o.seq);
    if (seq === undefined) {
      [seq] = await ledger.lookup(CONTENT_INDEX, toHex(digest!));
      if (seq === undefined) throw new CliError('NOT_FOUND', `no record commits content ${o.digest}`);
    }
    if (seq >= ledger.size) throw new CliError('NOT_FOUND', `no entry ${seq} (the log has ${ledger.size})`);
    const access = new Access(ledger, store, { clock: ctx.clock });
    const r = await access.retrieve(
      digest === undefined ? seq : { seq, digest },
      {
        requesterId: o.requester,
        ...(o.approval === undefined ? {} : { approvalId: o.approval }),
        ...(o.purpose === undefined ? {} : { purpose: o.purpose }),
      },
      signer,
    );
    const [event] = await appendedSince(ledger, r.event.seq);
    const hex = toHex(r.ref.digest);
    const part = `${o.out}.part`;
    const h = createStreamingHash(ledger.suite);
    let size = 0;
    try {
      await pipeline(
        r.stream,
        new Transform({
          transform(chunk: Buffer, _enc, cb) {
            h.update(chunk);
            size += chunk.length;
            cb(null, chunk);
          },
        }),
        createWriteStream(part, { mode: 0o600 }),
      );
    } catch (err) {
      await unlink(part).catch(() => {});
      throw err;
    }
    if (toHex(h.digest()) !== hex || size !== r.ref.size) {
      await unlink(part).catch(() => {});
      throw new CliError(
        'CONTENT_MODIFIED',
        `the stored content of entry ${seq} does not match its digest ${hex}: not written (run verify --content)`,
        EXIT.problems,
      );
    }
    await rename(part, o.out);
    const data: Omit<OutputOf<'retrieve'>, 'format' | 'command'> = {
      granted: true,
      event: event!,
      seq,
      digest: hex,
      size,
      out: o.out,
      requesterId: o.requester,
      approvalId: o.approval ?? null,
    };
    return {
      command: 'retrieve',
      exit: 0,
      data,
      human: (l) =>
        l === 'zh'
          ? `调阅已批准并登记（#${event!.seq}）：记录 #${seq} 的文件（${size} 字节）已写入 ${o.out}`
          : `Retrieval granted and recorded (#${event!.seq}): the content of entry #${seq} (${size} bytes) written to ${o.out}`,
    };
  });
}
