/**
 * Building blocks shared by the record kinds: ids chosen by the embedding system, times, digests, role names.
 * Bodies are canonical CBOR values (src/ledger/types.ts CborValue): integers only (times are ms since epoch, UTC),
 * no undefined (optional fields are omitted), byte strings as Uint8Array.
 */
import { z } from 'zod';

/** Kind names of this layer live under `enf/`. */
export const KIND_PREFIX = 'enf/';

/** Body schema version of every kind in this release. */
export const BODY_VERSION = 1;

/** Roles held by people and devices (the core reserves `admin`). Art. 19–21. */
export const ROLES = ['officer', 'supervisor', 'head', 'archivist', 'device', 'system', 'inspector'] as const;
export type Role = (typeof ROLES)[number];

/** Roles a person record may carry (devices and systems are not people). */
export const PERSON_ROLES = ['officer', 'supervisor', 'head', 'archivist', 'inspector'] as const;
export type PersonRole = (typeof PERSON_ROLES)[number];

// biome-ignore lint/suspicious/noControlCharactersInRegex: ids become LevelDB index keys; control characters are refused
const CONTROL = /[\u0000-\u001f\u007f]/;

/** An id chosen by the embedding system (caseId, actionId, documentId…): 1–128 characters, no control characters. */
export const Id = z
  .string()
  .min(1)
  .max(128)
  .refine((s) => !CONTROL.test(s), {
    message: 'must not contain control characters',
    params: { code: 'invalid_id' },
  });

/** Short human text (names, titles, numbers): 1–256 characters. */
export const Text = z.string().min(1).max(256);
/** Longer free text (descriptions, reasons): 1–4096 characters. */
export const LongText = z.string().min(1).max(4096);

/** Milliseconds since 1970-01-01T00:00:00Z (UTC), a non-negative safe integer. */
export const Time = z.int().min(0);

/** A 32-byte digest (SHA-256). */
export const Digest = z
  .custom<Uint8Array>((x) => x instanceof Uint8Array, {
    message: 'must be a byte string',
    params: { code: 'invalid_type' },
  })
  .refine((b) => b.length === 32, { message: 'must be 32 bytes', params: { code: 'invalid_length' } });

/** Schema version field: every body carries `v: 1`. */
export const Version = z.literal(BODY_VERSION);

/** A list of distinct ids, at least one. */
export const IdList = z
  .array(Id)
  .min(1)
  .max(64)
  .refine((a) => new Set(a).size === a.length, {
    message: 'must not repeat',
    params: { code: 'duplicate_item' },
  });

/** Values an electronic-data record or a document may carry as key fields (Art. 8): text, integers, booleans. */
export const FieldValue = z.union([z.string().max(4096), z.int(), z.boolean()]);
export const KeyFields = z
  .record(z.string().min(1).max(128), FieldValue)
  .refine((r) => Object.keys(r).length <= 128, {
    message: 'at most 128 fields',
    params: { code: 'too_big' },
  });

/** The party an action or case concerns (行政相对人). */
export const Party = z.strictObject({
  name: Text,
  kind: z.enum(['person', 'organisation']),
  /** ID card number or unified social credit code. */
  idNumber: Text.optional(),
  address: Text.optional(),
});
