/**
 * `ingest <media>`: stores an AV file in the content store (one streaming pass, SHA-256 and chunk root) and appends
 * its `enf/segment` record signed by the device key. Position and prevDigest continue the session's chain unless
 * given.
 */
import { stat } from 'node:fs/promises';
import { toHex } from '../../bytes';
import type { ContentRef } from '../../ledger/types';
import { KIND } from '../../domain/kind-names';
import type { Ctx, Outcome } from '../context';
import { CliError } from '../exit';
import { loadSigner, openStore, withFolder } from '../folder';
import type { OutputOf } from '../schemas';
import { appendedSince } from './appended';
import { parseTime } from './time';

export interface IngestOptions {
  readonly key: string;
  readonly case: string;
  readonly action: string;
  readonly segmentId: string;
  readonly session: string;
  readonly start: string;
  readonly end: string;
  readonly officer?: string;
  readonly device?: string;
  readonly position?: string;
  readonly mediaType?: string;
}

const MEDIA: Record<string, string> = {
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  pdf: 'application/pdf',
};

/** A content ref of `size` bytes standing for a file not yet stored, for `Ledger.check` (which reads no digest). */
export const placeholderRef = (size: number): ContentRef => ({
  digest: new Uint8Array(32),
  size,
  chunkRoot: new Uint8Array(32),
});

export async function ingest(ctx: Ctx, file: string, o: IngestOptions): Promise<Outcome> {
  const startedAt = parseTime(o.start, '--start');
  const endedAt = parseTime(o.end, '--end');
  if (o.position !== undefined && !/^\d+$/.test(o.position))
    throw new CliError('USAGE', '--position must be an integer ≥ 0');
  const signer = await loadSigner(ctx.dir, o.key);
  const size = (await stat(file)).size;
  return withFolder(ctx, async (f) => {
    const er = f.records;
    const key = er.ledger.keys.keys.get(signer.keyId);
    const deviceId = o.device ?? key?.principal;
    if (!deviceId) throw new CliError('USAGE', '--device is required: the key is not registered to a device');
    let officerId = o.officer;
    if (officerId === undefined) {
      const dev = await er.byId('device', deviceId);
      officerId = dev?.kind === KIND.device ? dev.body.assignedOfficerId : undefined;
      if (!officerId)
        throw new CliError('USAGE', '--officer is required: the device has no assigned officer');
    }
    // The session's chain so far (Art. 17: segments of one recording session are linked).
    const chain = (await er.caseRecords(o.case)).flatMap((r) =>
      r.kind === KIND.segment && r.body.sessionId === o.session ? [r] : [],
    );
    const position = o.position !== undefined ? Number(o.position) : chain.length;
    const prev = chain.find((r) => r.body.position === position - 1);
    const prevDigest = position === 0 ? null : (prev?.content[0]?.digest ?? null);
    const ext = file.split('.').pop()?.toLowerCase() ?? '';
    const mediaType = o.mediaType ?? MEDIA[ext];
    const body = {
      segmentId: o.segmentId,
      caseId: o.case,
      actionId: o.action,
      deviceId,
      officerId,
      startedAt,
      endedAt,
      sessionId: o.session,
      position,
      prevDigest,
      ...(mediaType ? { mediaType } : {}),
    };
    // The record is checked before its file is stored: a refused record (an archived case, a bad chain, a key
    // without the device role) leaves no file in the store that nothing references.
    await er.ledger.check(
      [{ kind: 'enf/segment', body: { v: 1, ...body }, content: [placeholderRef(size)] }],
      signer,
    );
    const store = await openStore(ctx.dir);
    const bar = ctx.progress({ label: 'ingest', total: size, unit: 'bytes' });
    let ref: Awaited<ReturnType<typeof store.put>>;
    try {
      ref = await store.put(file, { onProgress: (p) => bar.update(p.bytesDone, p.totalBytes) });
    } finally {
      bar.stop();
    }
    const from = er.ledger.size;
    await er.recordSegment(body, ref, signer);
    const [entry] = await appendedSince(er.ledger, from);
    const data: Omit<OutputOf<'ingest'>, 'format' | 'command'> = {
      file,
      content: { digest: toHex(ref.digest), size: ref.size, chunkRoot: toHex(ref.chunkRoot) },
      segment: {
        segmentId: o.segmentId,
        sessionId: o.session,
        position,
        prevDigest: prevDigest && toHex(prevDigest),
      },
      entry: entry!,
    };
    return {
      command: 'ingest',
      exit: 0,
      data,
      human: (l) =>
        l === 'zh'
          ? `已存入 ${file}（${ref.size} 字节，SHA-256 ${data.content.digest}）\n  音像片段 ${o.segmentId}：会话 ${o.session} 第 ${position} 段，条目 #${entry!.seq}`
          : `Stored ${file} (${ref.size} bytes, SHA-256 ${data.content.digest})\n  segment ${o.segmentId}: session ${o.session} position ${position}, entry #${entry!.seq}`,
    };
  });
}
