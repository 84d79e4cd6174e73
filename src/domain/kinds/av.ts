/**
 * Audio/video records: segments (Art. 13, 17, 19–20), exception work records 工作记录 (Art. 18), obstruction
 * incidents (Art. 31). A segment's file is committed by the entry's single ContentRef; a recording session is a
 * hash chain: each segment names the content digest of the previous segment of its session (null for the first).
 */
import { z } from 'zod';
import { bytesEqual, toHex } from '../../bytes';
import { Digest, Id, IdList, LongText, Text, Time, Version } from '../common';
import { KIND } from '../kind-names';
import { isRecordKind } from '../bodies';
import { INDEX, type KindSpec, endAfterStart, issue, isObj, isTime, requiredWhen } from '../spec';

/**
 * Key moments Art. 13(2) and 13(4) ask the AV to show (重点摄录): 表明身份, 出示执法证件, 告知当事人权利义务, 当事人对执法文书
 * 签字确认, 现场张贴公告, 开具、送达法律文书. A recording system that marks them inside a segment supplies them here.
 */
export const KEY_MOMENTS = [
  'show_identity',
  'present_certificate',
  'inform_rights',
  'signature_confirmation',
  'post_notice',
  'service',
] as const;
export type KeyMoment = (typeof KEY_MOMENTS)[number];

export const KeyMomentMarkSchema = z.strictObject({ moment: z.enum(KEY_MOMENTS), at: Time });

export const SegmentSchema = z.strictObject({
  v: Version,
  segmentId: Id,
  caseId: Id,
  actionId: Id,
  deviceId: Id,
  /** The officer wearing or operating the device. */
  officerId: Id,
  startedAt: Time,
  endedAt: Time,
  /** Recording session (one continuous use of a device); segments of a session form a chain. */
  sessionId: Id,
  /** 0 for the first segment of the session, then 1, 2, … */
  position: z.int().min(0),
  /** SHA-256 of the previous segment's file in this session; null for position 0. */
  prevDigest: z.union([z.null(), Digest]),
  mediaType: Text.optional(),
  /** Key moments inside the segment (Art. 13(2), 13(4)), as marked by the recording system; times within the segment. */
  marks: z.array(KeyMomentMarkSchema).max(256).optional(),
});
export type SegmentBody = z.infer<typeof SegmentSchema>;

export const segmentSpec: KindSpec = {
  kind: KIND.segment,
  roles: ['device'],
  schema: SegmentSchema,
  defines: { space: 'segment', field: 'segmentId' },
  caseFile: true,
  refs: [
    { field: 'caseId', space: 'case', kinds: [KIND.case] },
    { field: 'actionId', space: 'action', kinds: [KIND.actionStart], sameCase: true },
    { field: 'deviceId', space: 'device', kinds: [KIND.device] },
    { field: 'officerId', space: 'person', kinds: [KIND.person], role: 'officer' },
  ],
  eventTime: 'startedAt',
  indexes: (b) => (typeof b.sessionId === 'string' ? [{ index: INDEX.session, key: b.sessionId }] : []),
  crossCheck: (b) => {
    const out = endAfterStart(b, 'startedAt', 'endedAt');
    if (Array.isArray(b.marks) && isTime(b.startedAt) && isTime(b.endedAt))
      b.marks.forEach((m: unknown, i) => {
        const at = isObj(m) ? m.at : undefined;
        if (isTime(at) && (at < (b.startedAt as number) || at > (b.endedAt as number)))
          out.push(
            issue('mark_outside_segment', ['marks', i, 'at'], 'a key-moment mark lies outside the segment'),
          );
      });
    if (b.position === 0 && b.prevDigest !== null && b.prevDigest !== undefined)
      out.push(issue('invalid_chain', ['prevDigest'], 'the first segment of a session has prevDigest null'));
    if (typeof b.position === 'number' && b.position > 0 && b.prevDigest === null)
      out.push(
        issue('invalid_chain', ['prevDigest'], 'a later segment must name the previous segment digest'),
      );
    return out;
  },
  stateCheck: async ({ entry, body, ctx, principal }) => {
    const out = [];
    if (entry.content.length !== 1)
      out.push(issue('required', ['content'], 'a segment commits exactly one file (its ContentRef)'));
    if (typeof body.deviceId === 'string' && principal !== body.deviceId)
      out.push(
        issue(
          'signer_mismatch',
          ['body', 'deviceId'],
          `signed by ${principal}, not by device ${body.deviceId}`,
        ),
      );
    if (typeof body.sessionId !== 'string' || typeof body.position !== 'number') return out;
    let prev: SegmentBody | undefined;
    let prevDigest: Uint8Array | undefined;
    for (const seq of await ctx.lookup(INDEX.session, body.sessionId)) {
      const e = await ctx.get(seq);
      if (!isRecordKind(e, KIND.segment) || !isObj(e.body)) continue;
      const s = e.body;
      if (s.position === body.position)
        out.push(
          issue(
            'duplicate_position',
            ['body', 'position'],
            `session already has position ${s.position} (seq ${seq})`,
          ),
        );
      if (s.deviceId !== body.deviceId || s.actionId !== body.actionId)
        out.push(
          issue(
            'session_mismatch',
            ['body', 'sessionId'],
            `session ${s.sessionId} belongs to another device or action`,
          ),
        );
      if (s.position === body.position - 1) {
        prev = s;
        prevDigest = e.content[0]?.digest;
      }
    }
    if (body.position > 0 && body.prevDigest instanceof Uint8Array) {
      if (!prev)
        out.push(
          issue(
            'session_gap',
            ['body', 'position'],
            `no segment at position ${body.position - 1} in this session`,
          ),
        );
      else if (!prevDigest || !bytesEqual(prevDigest, body.prevDigest))
        out.push(
          issue(
            'chain_mismatch',
            ['body', 'prevDigest'],
            `prevDigest ${toHex(body.prevDigest).slice(0, 16)}… is not the digest of segment ${prev.segmentId}`,
          ),
        );
    }
    return out;
  },
};

/** Reasons Art. 18 allows for stopping AV. */
export const EXCEPTION_REASONS = [
  'state_secret',
  'commercial_secret',
  'personal_privacy',
  'force_majeure',
  'other',
] as const;
export type ExceptionReason = (typeof EXCEPTION_REASONS)[number];

export const ExceptionSchema = z.strictObject({
  v: Version,
  exceptionId: Id,
  caseId: Id,
  actionId: Id,
  reason: z.enum(EXCEPTION_REASONS),
  /** Explanation; required for `other`. */
  reasonText: LongText.optional(),
  /** The period without AV that this work record covers. */
  from: Time,
  to: Time,
  officers: IdList.optional(),
  /** The 工作记录 document, when recorded as one. */
  documentId: Id.optional(),
});
export type ExceptionBody = z.infer<typeof ExceptionSchema>;

export const exceptionSpec: KindSpec = {
  kind: KIND.exception,
  roles: ['officer', 'supervisor', 'head', 'system'],
  schema: ExceptionSchema,
  defines: { space: 'exception', field: 'exceptionId' },
  caseFile: true,
  refs: [
    { field: 'caseId', space: 'case', kinds: [KIND.case] },
    { field: 'actionId', space: 'action', kinds: [KIND.actionStart], sameCase: true },
    { field: 'officers', space: 'person', kinds: [KIND.person], role: 'officer' },
    { field: 'documentId', space: 'document', kinds: [KIND.document], sameCase: true },
  ],
  eventTime: 'from',
  crossCheck: (b) => [
    ...endAfterStart(b, 'from', 'to'),
    ...requiredWhen(b, 'reasonText', b.reason === 'other', "when the reason is 'other'"),
  ],
};

export const ObstructionSchema = z.strictObject({
  v: Version,
  obstructionId: Id,
  caseId: Id,
  actionId: Id.optional(),
  occurredAt: Time,
  description: LongText,
  /** Segments recording the obstruction. */
  segmentIds: IdList,
  /** Art. 31: 移交公安机关处理. */
  reportedToPolice: z.boolean(),
  policeReportNo: Text.optional(),
  /** The public security organ it was handed to (e.g. `晋城市公安局城区分局`). */
  policeOrgan: Text.optional(),
  /** When it was handed over. */
  handedOverAt: Time.optional(),
  /** The handover letter (移交公安机关处理函), when recorded as a document. */
  handoverDocumentId: Id.optional(),
});
export type ObstructionBody = z.infer<typeof ObstructionSchema>;

export const obstructionSpec: KindSpec = {
  kind: KIND.obstruction,
  roles: ['officer'],
  schema: ObstructionSchema,
  defines: { space: 'obstruction', field: 'obstructionId' },
  caseFile: true,
  refs: [
    { field: 'caseId', space: 'case', kinds: [KIND.case] },
    { field: 'actionId', space: 'action', kinds: [KIND.actionStart], sameCase: true },
    { field: 'segmentIds', space: 'segment', kinds: [KIND.segment], sameCase: true },
    { field: 'handoverDocumentId', space: 'document', kinds: [KIND.document], sameCase: true },
  ],
  eventTime: 'occurredAt',
  crossCheck: (b) => endAfterStart(b, 'occurredAt', 'handedOverAt'),
};
