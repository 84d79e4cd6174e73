/**
 * The routes of `enforcement-ledger serve` (docs/SERVE.md lists them; /openapi.json is generated from this table).
 * Writes go through the library's own APIs — `EnforcementRecords` for enforcement records, `Retention`, `Access`,
 * `Ledger.append` for any declared kind — so every record is checked exactly as for an embedder: the body against
 * its kind's schema (every issue with its path), the references, and the signer's roles in the log.
 */
import { z } from 'zod';
import { Access } from '../access/access';
import { ExcerptFileSchema, excerptDocument } from '../access/excerpt-document';
import { accessSpecs } from '../access/kinds';
import { fromHex, toBase64, toHex } from '../bytes';
import { exportBundle } from '../bundles/export';
import type { Signer } from '../crypto/types';
import type { ApprovalSubject } from '../domain/kind-names';
import { ALL_SPECS } from '../domain/kinds';
import type { EnforcementRecords } from '../domain/records';
import { fromJsonValue, toJsonValue } from '../encoding/json';
import type { AppendInput, AppendResult, CborValue, ContentRef, StoredEntry } from '../ledger/types';
import { retentionSpecs } from '../retention/kinds';
import { identify } from '../retention/records';
import { Retention } from '../retention/retention';
import { cosignedCheckpoint } from '../witness/ledger';
import type { Principal, ServeConfig } from './config';
import { HttpError, httpError } from './errors';
import type { Served } from './open';
import { type RouteDef, type RouteInput, route } from './routes';
import { parseTilePath, readTile, tilePath } from './tiles';

// ------------------------------------------------------------------------------------------------ shared schemas

const KeyName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/);
const Hex32 = z.string().regex(/^[0-9a-fA-F]{64}$/, '64 hex digits');
/** A public key as the ledger's suite encodes it (32 or 65 bytes in the two suites); the ledger checks it further. */
const PublicKeyHex = z
  .string()
  .regex(/^(?:[0-9a-fA-F]{2}){16,128}$/, 'an even number of hex digits (32–256)');
const Seq = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const JsonObject = z.record(z.string(), z.unknown());

const ContentRefJson = z.strictObject({
  digest: Hex32,
  size: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  chunkRoot: Hex32,
});
type ContentRefJson = z.infer<typeof ContentRefJson>;

/** A record body as sent: JSON, byte strings as {"$bytes": "<hex>"}; times in ms since the epoch. */
const SignAs = KeyName.optional().describe(
  'the key (a name in the server key store) to sign with; it must be one of the caller’s keys. Default: the caller’s only key',
);

const RecordRequest = z.strictObject({
  signAs: SignAs,
  body: JsonObject,
  content: z.array(ContentRefJson).max(64).optional(),
});
type RecordRequest = z.infer<typeof RecordRequest>;

const RegisterRequest = z.strictObject({
  signAs: SignAs,
  body: JsonObject,
  publicKey: PublicKeyHex.describe(
    'the person’s or device’s public key in the ledger suite’s raw encoding, hex (docs/FORMAT.md "Crypto suites")',
  ),
});

const EntriesRequest = z.strictObject({
  signAs: SignAs,
  records: z
    .array(
      z.strictObject({
        kind: z.string().min(1).max(128),
        body: JsonObject,
        content: z.array(ContentRefJson).max(64).optional(),
      }),
    )
    .min(1)
    .max(256),
});

const Appended = z.object({
  seq: z.number().int(),
  time: z.number().int(),
  leafHash: z.string().describe('hex'),
  kind: z.string().optional(),
});
const AppendedList = z.object({ entries: z.array(Appended) });

const EntryJson = z.object({
  seq: z.number().int(),
  time: z.number().int(),
  kind: z.string(),
  body: z.unknown(),
  content: z.array(ContentRefJson),
  signer: z.string().describe('key id of the signer'),
  prev: z.string().describe('hex hash of the previous entry'),
  signature: z.string().describe('hex'),
  leafHash: z.string().describe('hex: H(0x00 ‖ bytes)'),
  bytes: z.string().describe('base64 of the signed entry (the Merkle leaf data, docs/FORMAT.md)'),
});

// ------------------------------------------------------------------------------------------------ helpers

const hexOf = (b: Uint8Array) => toHex(b);

function appended(r: AppendResult & { kind?: string }) {
  return {
    seq: r.seq,
    time: r.time,
    leafHash: hexOf(r.leafHash),
    ...(r.kind === undefined ? {} : { kind: r.kind }),
  };
}

function entryJson(e: StoredEntry) {
  return {
    seq: e.seq,
    time: e.time,
    kind: e.kind,
    body: toJsonValue(e.body),
    content: e.content.map((c) => ({ digest: hexOf(c.digest), size: c.size, chunkRoot: hexOf(c.chunkRoot) })),
    signer: e.signer,
    prev: hexOf(e.prev),
    signature: hexOf(e.signature),
    leafHash: hexOf(e.leafHash),
    bytes: toBase64(e.bytes),
  };
}

const contentRefs = (refs: readonly ContentRefJson[] | undefined): ContentRef[] =>
  (refs ?? []).map((c) => ({
    digest: fromHex(c.digest.toLowerCase()),
    size: c.size,
    chunkRoot: fromHex(c.chunkRoot.toLowerCase()),
  }));

/** A JSON body as a ledger value (ValidationError with paths under `body`). */
const ledgerBody = (body: Record<string, unknown>, path: Array<string | number> = ['body']) =>
  fromJsonValue(body, path) as Record<string, CborValue>;

/**
 * The signer a request may use: the key it names (or the caller's only key, or `fallback` — the server's system key
 * where the route says the system may sign) — only if the caller holds it.
 */
function signerFor(
  principal: Principal | undefined,
  config: ServeConfig,
  signAs: string | undefined,
  fallback?: string,
): Signer {
  if (!principal) throw httpError(401, 'AUTH_REQUIRED', 'a bearer token is required');
  let name = signAs;
  if (name === undefined) {
    if (principal.keys.length === 1) name = principal.keys[0];
    else if (fallback !== undefined) name = fallback;
    else
      throw new HttpError(400, {
        code: 'VALIDATION_FAILED',
        message: 'signAs is required: the caller holds several keys or none',
        issues: [
          { code: 'required', path: ['signAs'], message: `one of: ${principal.keys.join(', ') || '(none)'}` },
        ],
      });
  }
  if (name !== fallback && !principal.keys.includes(name!))
    throw httpError(403, 'FORBIDDEN_KEY', `principal ${principal.id} may not sign with key ${name}`);
  const signer = config.signers.get(name!);
  if (!signer) throw httpError(500, 'INTERNAL', `key ${name} is not loaded`);
  return signer;
}

/** The server's own key of `role` (checkpointKey, exporterKey), or 503 when the config has none. */
function serverKey(config: ServeConfig, which: 'checkpointKey' | 'exporterKey'): Signer {
  const name = config.data[which];
  const signer = name === undefined ? undefined : config.signers.get(name);
  if (!signer) throw httpError(503, 'NOT_CONFIGURED', `the server has no ${which} (see docs/SERVE.md)`);
  return signer;
}

function needStore(served: Served) {
  if (!served.store) throw httpError(503, 'NOT_CONFIGURED', 'the server has no content store (contentDir)');
  return served.store;
}

/** The requester of a retrieval must be a person whose key the caller holds (or the caller is an admin). */
function checkRequester(
  principal: Principal | undefined,
  config: ServeConfig,
  served: Served,
  requester: string,
) {
  if (!principal) throw httpError(401, 'AUTH_REQUIRED', 'a bearer token is required');
  if (principal.scopes.has('admin')) return;
  const held = principal.keys.flatMap((k) => {
    const s = config.signers.get(k);
    const reg = s ? served.ledger.keys.keys.get(s.keyId) : undefined;
    return reg ? [reg.principal] : [];
  });
  if (!held.includes(requester))
    throw httpError(403, 'FORBIDDEN_REQUESTER', `principal ${principal.id} holds no key of ${requester}`);
}

/**
 * A retrieval request (whole file or excerpt) as the access API takes it: after catching up with other instances, the
 * requester checked against the caller, the target, the request, and the signer (the caller's key or the system's).
 */
async function retrievalOf(
  principal: Principal | undefined,
  config: ServeConfig,
  served: Served,
  body: z.infer<typeof RetrieveRequest>,
) {
  await served.refresh(); // a key or approval recorded through another instance
  checkRequester(principal, config, served, body.requesterId);
  return {
    target: { seq: body.seq, ...(body.digest ? { digest: fromHex(body.digest.toLowerCase()) } : {}) },
    request: {
      requesterId: body.requesterId,
      ...(body.approvalId ? { approvalId: body.approvalId } : {}),
      ...(body.purpose ? { purpose: body.purpose } : {}),
    },
    signer: signerFor(principal, config, body.signAs, config.data.systemKey),
  };
}

const text = (body: string, status = 200) =>
  new Response(body, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
const octets = (body: Uint8Array, headers: Record<string, string> = {}) =>
  new Response(body as Uint8Array<ArrayBuffer>, {
    status: 200,
    headers: { 'content-type': 'application/octet-stream', ...headers },
  });

/** JSON schema of a kind's body for the OpenAPI document (times may be given as ms since the epoch). */
const KIND_SCHEMAS = new Map(
  [...ALL_SPECS, ...retentionSpecs(), ...accessSpecs()].map((s) => [s.kind, s.schema as z.ZodType]),
);
function bodyDoc(kind: string, extra: Record<string, z.ZodType> = {}): Record<string, unknown> {
  const schema = KIND_SCHEMAS.get(kind);
  const kindSchema = schema
    ? z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' })
    : { type: 'object' };
  delete (kindSchema as { $schema?: string }).$schema;
  const rest = z.toJSONSchema(z.strictObject({ signAs: SignAs, ...extra }), {
    io: 'input',
    unrepresentable: 'any',
  });
  const props = (rest as { properties?: Record<string, unknown> }).properties ?? {};
  return {
    type: 'object',
    additionalProperties: false,
    required: ['body', ...((rest as { required?: string[] }).required ?? [])],
    properties: { ...props, body: { ...kindSchema, description: `the ${kind} body` } },
  };
}

// ------------------------------------------------------------------------------------------------ record routes

type RecordCall = (
  r: EnforcementRecords,
  body: Record<string, CborValue>,
  signer: Signer,
  content: ContentRef[],
) => Promise<AppendResult & { kind?: string }>;

const approval =
  (subject: ApprovalSubject): RecordCall =>
  (r, b, s) =>
    r.approve(subject, b as never, s);

/** path segment → kind and the EnforcementRecords method that records it. */
const RECORD_OPS: ReadonlyArray<readonly [string, string, RecordCall, string]> = [
  ['agency', 'enf/agency', (r, b, s) => r.registerAgency(b as never, s), 'register the agency (admin)'],
  ['case', 'enf/case', (r, b, s) => r.openCase(b as never, s), 'open a case (立案)'],
  ['action-start', 'enf/action.start', (r, b, s) => r.startAction(b as never, s), 'start an on-site action'],
  ['action-end', 'enf/action.end', (r, b, s) => r.endAction(b as never, s), 'end an on-site action'],
  [
    'document',
    'enf/document',
    (r, b, s, c) => r.recordDocument(b as never, s, c),
    'record a document (文书); files by content refs',
  ],
  [
    'segment',
    'enf/segment',
    (r, b, s, c) => {
      if (c.length !== 1)
        throw new HttpError(400, {
          code: 'VALIDATION_FAILED',
          message: 'a segment commits exactly one file',
          issues: [{ code: 'segment_content', path: ['content'], message: 'give exactly one content ref' }],
        });
      return r.recordSegment(b as never, c[0]!, s);
    },
    'record an audio-visual segment (the device signs; one content ref)',
  ],
  ['data', 'enf/data', (r, b, s, c) => r.recordData(b as never, s, c), 'record electronic data'],
  [
    'exception',
    'enf/exception',
    (r, b, s) => r.recordException(b as never, s),
    'record an exception (no recording)',
  ],
  [
    'deposit',
    'enf/deposit',
    (r, b, s) => r.deposit(b as never, s),
    'record the deposit of records (归档移交)',
  ],
  [
    'approval-coercive-measure',
    'enf/approval.coercive-measure',
    approval('coercive_measure'),
    'approve a coercive measure',
  ],
  ['approval-av-exception', 'enf/approval.av-exception', approval('av_exception'), 'approve an AV exception'],
  ['approval-late-deposit', 'enf/approval.late-deposit', approval('late_deposit'), 'approve a late deposit'],
  ['approval-retrieval', 'enf/approval.retrieval', approval('retrieval'), 'approve (or reject) a retrieval'],
  [
    'approval-disclosure',
    'enf/approval.disclosure',
    approval('disclosure'),
    'approve (or reject) a disclosure',
  ],
  ['approval-purge', 'enf/approval.purge', approval('purge'), 'approve (or reject) a purge'],
  ['case-close', 'enf/case.close', (r, b, s) => r.closeCase(b as never, s), 'close a case (结案)'],
  ['case-archive', 'enf/case.archive', (r, b, s) => r.archiveCase(b as never, s), 'archive a case (归档)'],
  [
    'obstruction',
    'enf/obstruction',
    (r, b, s) => r.recordObstruction(b as never, s),
    'record an obstruction',
  ],
  [
    'device-custody',
    'enf/device.custody',
    (r, b, s) => r.recordDeviceCustody(b as never, s),
    'hand a device out or back',
  ],
  [
    'device-status',
    'enf/device.status',
    (r, b, s) => r.recordDeviceStatus(b as never, s),
    'a device’s status',
  ],
  ['self-check', 'enf/self-check', (r, b, s) => r.recordSelfCheck(b as never, s), 'a periodic self-check'],
];

function recordRoute([op, kind, call, summary]: (typeof RECORD_OPS)[number]): RouteDef {
  return route({
    method: 'post',
    path: `/v1/records/${op}`,
    operationId: `record_${op.replace(/-/g, '_')}`,
    summary,
    description: `Appends one ${kind} record, signed by the caller’s key \`signAs\`.`,
    tag: 'records',
    access: op === 'agency' ? 'admin' : 'append',
    body: RecordRequest,
    bodyDoc: bodyDoc(kind, { content: z.array(ContentRefJson).optional() }),
    response: {
      status: 201,
      contentType: 'application/json',
      description: 'the appended entry',
      schema: Appended,
    },
    handler: async ({ body, principal, config, served }: RouteInput<unknown, unknown, RecordRequest>) => {
      const signer = signerFor(principal, config, body.signAs);
      return appended(await call(served.records, ledgerBody(body.body), signer, contentRefs(body.content)));
    },
  });
}

function registerRoute(what: 'officer' | 'device'): RouteDef {
  const kind = what === 'officer' ? 'enf/person' : 'enf/device';
  return route({
    method: 'post',
    path: `/v1/records/${what}`,
    operationId: `register_${what}`,
    summary:
      what === 'officer'
        ? 'record a person (officer, supervisor, head, archivist…) and bind their public key (admin)'
        : 'record a recording device and bind its public key (admin)',
    tag: 'records',
    access: 'admin',
    body: RegisterRequest,
    bodyDoc: bodyDoc(kind, { publicKey: PublicKeyHex }),
    response: {
      status: 201,
      contentType: 'application/json',
      description: 'the appended entry',
      schema: Appended,
    },
    handler: async ({
      body,
      principal,
      config,
      served,
    }: RouteInput<unknown, unknown, z.infer<typeof RegisterRequest>>) => {
      const signer = signerFor(principal, config, body.signAs);
      const key = fromHex(body.publicKey.toLowerCase());
      const b = ledgerBody(body.body);
      const r =
        what === 'officer'
          ? await served.records.registerOfficer(b as never, key, signer)
          : await served.records.registerDevice(b as never, key, signer);
      return appended(r);
    },
  });
}

// ------------------------------------------------------------------------------------------------ retention, access

type ArchiveCall = (
  x: { retention: Retention; access: Access },
  body: Record<string, CborValue>,
  signer: Signer,
) => Promise<AppendResult>;

const ARCHIVE_OPS: ReadonlyArray<readonly [string, string, 'retention' | 'access', ArchiveCall, string]> = [
  [
    'retention/evidence',
    'ret/evidence',
    'retention',
    (x, b, s) => x.retention.markEvidence(b as never, s),
    'mark records as evidence (retention class)',
  ],
  [
    'retention/reclassify',
    'ret/reclassify',
    'retention',
    (x, b, s) => x.retention.reclassify(b as never, s),
    'reclassify a record’s retention',
  ],
  [
    'retention/hold',
    'ret/hold',
    'retention',
    (x, b, s) => x.retention.hold(b as never, s),
    'place a legal hold',
  ],
  [
    'retention/hold-release',
    'ret/hold.release',
    'retention',
    (x, b, s) => x.retention.releaseHold(b as never, s),
    'release a legal hold',
  ],
  [
    'retention/purge-request',
    'ret/purge.request',
    'retention',
    (x, b, s) => x.retention.requestPurge(b as never, s),
    'the archivist’s purge request',
  ],
  [
    'access/label',
    'acc/label',
    'access',
    (x, b, s) => x.access.label(b as never, s),
    'label records (state secret, commercial secret, personal privacy)',
  ],
  [
    'access/retrieval-request',
    'acc/retrieval.request',
    'access',
    (x, b, s) => x.access.requestRetrieval(b as never, s),
    'a retrieval request (调用单)',
  ],
];

function archiveOps(served: Served) {
  const store = needStore(served);
  return {
    retention: new Retention(served.ledger, store),
    access: new Access(served.ledger, store),
  };
}

function archiveRoute([op, kind, scope, call, summary]: (typeof ARCHIVE_OPS)[number]): RouteDef {
  return route({
    method: 'post',
    path: `/v1/${op}`,
    operationId: op.replace(/[/-]/g, '_'),
    summary,
    tag: scope,
    access: scope,
    body: RecordRequest.omit({ content: true }),
    bodyDoc: bodyDoc(kind),
    response: {
      status: 201,
      contentType: 'application/json',
      description: 'the appended entry',
      schema: Appended,
    },
    handler: async ({ body, principal, config, served }: RouteInput<unknown, unknown, RecordRequest>) => {
      const signer = signerFor(principal, config, body.signAs);
      return appended({ ...(await call(archiveOps(served), ledgerBody(body.body), signer)), kind });
    },
  });
}

const RetrieveRequest = z.strictObject({
  signAs: SignAs,
  seq: z.number().int().min(0),
  digest: Hex32.optional(),
  requesterId: z.string().min(1),
  approvalId: z.string().min(1).optional(),
  purpose: z.string().min(1).optional(),
});

const ExcerptRequest = RetrieveRequest.extend({
  chunk: z.number().int().min(0).describe('the chunk: 0 is the first MiB of the file'),
});

const DiscloseRequest = z.strictObject({
  signAs: SignAs,
  body: JsonObject,
});

const PurgeRequest = z.strictObject({
  signAs: SignAs,
  purgeId: z.string().min(1),
  requestId: z.string().min(1),
  approvalId: z.string().min(1).optional(),
});

// ------------------------------------------------------------------------------------------------ the table

const InclusionQuery = z.object({ seq: Seq, treeSize: Seq.optional() });
const ConsistencyQuery = z.object({ from: Seq, to: Seq.optional() });
const EntriesQuery = z.object({
  from: Seq.default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});
const VerifyRequest = z.strictObject({
  checkpoints: z
    .array(z.string().min(1))
    .max(16)
    .optional()
    .describe('checkpoints held outside the ledger (signed notes)'),
  since: z
    .string()
    .min(1)
    .optional()
    .describe('incremental: trust the log up to this checkpoint (signed note)'),
});
const BundleRequest = z.strictObject({
  caseIds: z.array(z.string().min(1)).min(1).max(1000).optional(),
  sample: z
    .strictObject({ nonce: z.string().regex(/^[0-9a-fA-F]{2,128}$/), k: z.number().int().min(1).max(10000) })
    .optional(),
  inspectorSize: z.number().int().min(1).optional(),
  checkpoint: z.string().min(1).optional(),
});

export function buildRoutes(): RouteDef[] {
  return [
    route({
      method: 'get',
      path: '/healthz',
      operationId: 'health',
      summary: 'liveness and readiness: the ledger is open; its size',
      tag: 'server',
      access: 'public',
      response: {
        status: 200,
        contentType: 'application/json',
        description: 'the server is up and its ledger open',
        schema: z.object({ status: z.literal('ok'), size: z.number().int(), origin: z.string() }),
      },
      handler: async ({ served }) => ({
        status: 'ok',
        size: served.ledger.size,
        origin: served.ledger.origin,
      }),
    }),
    route({
      method: 'get',
      path: '/checkpoint',
      operationId: 'tlog_checkpoint',
      summary: 'C2SP tlog-tiles: the newest checkpoint with its recorded cosignatures (signed note)',
      tag: 'tlog-tiles',
      access: 'tiles',
      response: { status: 200, contentType: 'text/plain; charset=utf-8', description: 'a C2SP signed note' },
      handler: async ({ served }) => {
        await served.refresh();
        const note = await cosignedCheckpoint(served.ledger).catch(() => undefined);
        if (note === undefined) throw httpError(404, 'NOT_FOUND', 'the ledger has no checkpoint yet');
        return new Response(note, {
          headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
        });
      },
    }),
    route({
      method: 'get',
      path: '/tile/{tile}',
      honoPath: '/tile/*',
      operationId: 'tlog_tile',
      summary:
        'C2SP tlog-tiles: a Merkle tile (`<L>/<N>[.p/<W>]`) or an entry bundle (`entries/<N>[.p/<W>]`)',
      description:
        '`{tile}` spans several path segments: N is written in 3-digit groups, all but the last prefixed with x (x001/x234/067). Served only when complete; immutable once served.',
      tag: 'tlog-tiles',
      access: 'tiles',
      response: { status: 200, contentType: 'application/octet-stream', description: 'the tile bytes' },
      handler: async ({ c, served }) => {
        const rest = c.req.path.slice('/tile/'.length);
        const t = parseTilePath(rest);
        if (!t || tilePath(t) !== rest) throw httpError(404, 'NOT_FOUND', `not a tile path: /tile/${rest}`);
        let bytes = await readTile(served.ledger, t);
        if (!bytes) {
          await served.refresh();
          bytes = await readTile(served.ledger, t);
        }
        if (!bytes)
          throw httpError(404, 'NOT_FOUND', `tile ${rest} is not complete at size ${served.ledger.size}`);
        return octets(bytes, { 'cache-control': 'public, max-age=31536000, immutable' });
      },
    }),
    route({
      method: 'get',
      path: '/v1/log',
      operationId: 'log_info',
      summary: 'the log: origin, size, root hash, ledger id, crypto suite',
      tag: 'read',
      access: 'read',
      response: {
        status: 200,
        contentType: 'application/json',
        description: 'the log as it stands',
        schema: z.object({
          origin: z.string(),
          size: z.number().int(),
          root: z.string(),
          ledgerId: z.string(),
          suite: z.string(),
        }),
      },
      handler: async ({ served }) => {
        await served.refresh();
        const size = served.ledger.size;
        return {
          origin: served.ledger.origin,
          size,
          root: hexOf(await served.ledger.root(size)),
          ledgerId: hexOf(served.ledger.ledgerId),
          suite: served.ledger.suite.id,
        };
      },
    }),
    route({
      method: 'get',
      path: '/v1/entries',
      operationId: 'list_entries',
      summary: 'entries in log order from `from` (at most `limit`, ≤ 1000)',
      tag: 'read',
      access: 'read',
      query: EntriesQuery,
      response: {
        status: 200,
        contentType: 'application/json',
        description: 'entries',
        schema: z.object({ entries: z.array(EntryJson), size: z.number().int() }),
      },
      handler: async ({ query, served }: RouteInput<unknown, z.infer<typeof EntriesQuery>, unknown>) => {
        await served.refresh();
        const size = served.ledger.size;
        const from = Math.min(query.from, size);
        const out = [];
        for await (const e of served.ledger.entries({ from, to: Math.min(size, from + query.limit) }))
          out.push(entryJson(e));
        return { entries: out, size };
      },
    }),
    route({
      method: 'get',
      path: '/v1/entries/{seq}',
      operationId: 'get_entry',
      summary: 'one entry, with its signed bytes',
      tag: 'read',
      access: 'read',
      params: z.object({ seq: Seq }),
      response: { status: 200, contentType: 'application/json', description: 'the entry', schema: EntryJson },
      handler: async ({ params, served }: RouteInput<{ seq: number }, unknown, unknown>) => {
        if (params.seq >= served.ledger.size) await served.refresh();
        if (params.seq >= served.ledger.size) throw httpError(404, 'NOT_FOUND', `no entry ${params.seq}`);
        return entryJson(await served.ledger.get(params.seq));
      },
    }),
    route({
      method: 'get',
      path: '/v1/cases/{caseId}',
      operationId: 'case_records',
      summary: 'every record of a case in log order (the case, actions, documents, segments, approvals…)',
      tag: 'read',
      access: 'read',
      params: z.object({ caseId: z.string().min(1).max(256) }),
      response: {
        status: 200,
        contentType: 'application/json',
        description: 'the case’s entries',
        schema: z.object({ entries: z.array(EntryJson) }),
      },
      handler: async ({ params, served }: RouteInput<{ caseId: string }, unknown, unknown>) => {
        await served.refresh();
        const records = await served.records.caseRecords(params.caseId);
        if (records.length === 0) throw httpError(404, 'NOT_FOUND', `no case ${params.caseId}`);
        return {
          entries: await Promise.all(records.map(async (r) => entryJson(await served.ledger.get(r.seq)))),
        };
      },
    }),
    route({
      method: 'get',
      path: '/v1/proofs/inclusion',
      operationId: 'inclusion_proof',
      summary:
        'RFC 9162 inclusion proof of entry `seq` in the tree of `treeSize` (default: the current size)',
      tag: 'proofs',
      access: 'read',
      query: InclusionQuery,
      response: {
        status: 200,
        contentType: 'application/json',
        description: 'the proof',
        schema: z.object({
          seq: z.number().int(),
          treeSize: z.number().int(),
          leafHash: z.string(),
          root: z.string(),
          proof: z.array(z.string()),
        }),
      },
      handler: async ({ query, served }: RouteInput<unknown, z.infer<typeof InclusionQuery>, unknown>) => {
        await served.refresh();
        const treeSize = query.treeSize ?? served.ledger.size;
        if (treeSize > served.ledger.size || query.seq >= treeSize)
          throw httpError(404, 'NOT_FOUND', `no entry ${query.seq} in a tree of ${treeSize}`);
        const [proof, root, entry] = await Promise.all([
          served.ledger.inclusionProof(query.seq, treeSize),
          served.ledger.root(treeSize),
          served.ledger.get(query.seq),
        ]);
        return {
          seq: query.seq,
          treeSize,
          leafHash: hexOf(entry.leafHash),
          root: hexOf(root),
          proof: proof.map(hexOf),
        };
      },
    }),
    route({
      method: 'get',
      path: '/v1/proofs/consistency',
      operationId: 'consistency_proof',
      summary: 'RFC 9162 consistency proof from tree size `from` to `to` (default: the current size)',
      tag: 'proofs',
      access: 'read',
      query: ConsistencyQuery,
      response: {
        status: 200,
        contentType: 'application/json',
        description: 'the proof',
        schema: z.object({
          from: z.number().int(),
          to: z.number().int(),
          fromRoot: z.string(),
          toRoot: z.string(),
          proof: z.array(z.string()),
        }),
      },
      handler: async ({ query, served }: RouteInput<unknown, z.infer<typeof ConsistencyQuery>, unknown>) => {
        await served.refresh();
        const to = query.to ?? served.ledger.size;
        if (to > served.ledger.size || query.from < 1 || query.from > to)
          throw httpError(404, 'NOT_FOUND', `no consistency proof from ${query.from} to ${to}`);
        const [proof, fromRoot, toRoot] = await Promise.all([
          served.ledger.consistencyProof(query.from, to),
          served.ledger.root(query.from),
          served.ledger.root(to),
        ]);
        return {
          from: query.from,
          to,
          fromRoot: hexOf(fromRoot),
          toRoot: hexOf(toRoot),
          proof: proof.map(hexOf),
        };
      },
    }),
    route({
      method: 'post',
      path: '/v1/checkpoints',
      operationId: 'sign_checkpoint',
      summary:
        'sign a checkpoint of the log as it stands with the server’s checkpoint key, record it, return it',
      tag: 'checkpoints',
      access: 'checkpoint',
      response: {
        status: 201,
        contentType: 'text/plain; charset=utf-8',
        description: 'the C2SP signed note',
      },
      handler: async ({ served, config }) => {
        serverKey(config, 'checkpointKey');
        return text(await served.ledger.checkpoint(), 201);
      },
    }),
    route({
      method: 'post',
      path: '/v1/entries',
      operationId: 'append_entries',
      summary:
        'append records of any declared kind (enf/, ret/, acc/, core/), atomically, signed by `signAs`',
      description:
        'The generic append (as the command line’s `append`): one record or several, all or none. Core kinds (key registration) need the admin scope.',
      tag: 'records',
      access: 'append',
      body: EntriesRequest,
      response: {
        status: 201,
        contentType: 'application/json',
        description: 'the appended entries',
        schema: AppendedList,
      },
      handler: async ({
        body,
        principal,
        config,
        served,
      }: RouteInput<unknown, unknown, z.infer<typeof EntriesRequest>>) => {
        if (body.records.some((r) => r.kind.startsWith('core/')) && !principal?.scopes.has('admin'))
          throw httpError(403, 'FORBIDDEN_SCOPE', 'core kinds need the admin scope');
        const signer = signerFor(principal, config, body.signAs);
        const inputs: AppendInput[] = body.records.map((r, i) => {
          const b = ledgerBody(r.body, ['records', i, 'body']);
          return {
            kind: r.kind,
            body: /^(enf|ret|acc)\//.test(r.kind) && b.v === undefined ? { v: 1, ...b } : b,
            content: contentRefs(r.content),
          };
        });
        const rs =
          inputs.length === 1
            ? [await served.ledger.append(inputs[0]!, signer)]
            : await served.ledger.appendBatch(inputs, signer);
        return { entries: rs.map((r, i) => appended({ ...r, kind: inputs[i]!.kind })) };
      },
    }),
    ...RECORD_OPS.map(recordRoute),
    registerRoute('officer'),
    registerRoute('device'),
    ...ARCHIVE_OPS.map(archiveRoute),
    route({
      method: 'post',
      path: '/v1/retention/purge',
      operationId: 'retention_purge',
      summary:
        'purge expired content under the archivist’s request and the head’s approval (the system may sign)',
      tag: 'retention',
      access: 'retention',
      body: PurgeRequest,
      response: {
        status: 201,
        contentType: 'application/json',
        description: 'the purge entry and the digests removed',
        schema: z.object({ purgeSeq: z.number().int(), resumed: z.boolean(), removed: z.array(z.string()) }),
      },
      handler: async ({
        body,
        principal,
        config,
        served,
      }: RouteInput<unknown, unknown, z.infer<typeof PurgeRequest>>) => {
        const signer = signerFor(principal, config, body.signAs, config.data.systemKey);
        const r = await archiveOps(served).retention.purge(
          {
            purgeId: body.purgeId,
            requestId: body.requestId,
            ...(body.approvalId ? { approvalId: body.approvalId } : {}),
          },
          signer,
        );
        return { purgeSeq: r.purgeSeq, resumed: r.resumed, removed: [...r.removed] };
      },
    }),
    route({
      method: 'get',
      path: '/v1/retention/schedule',
      operationId: 'retention_schedule',
      summary: 'every stored file with its retention class, expiry, holds and whether it may be purged',
      tag: 'retention',
      access: 'retention',
      query: z.object({ at: Seq.optional(), caseId: z.string().min(1).optional() }),
      response: {
        status: 200,
        contentType: 'application/json',
        description: 'the schedule',
        schema: z.object({ items: z.array(z.unknown()) }),
      },
      handler: async ({ query, served }: RouteInput<unknown, { at?: number; caseId?: string }, unknown>) => {
        await served.refresh();
        const retention = archiveOps(served).retention;
        const items = await retention.retentionSchedule(
          query.at ?? Date.now(),
          query.caseId === undefined ? {} : { caseId: query.caseId },
        );
        return { items: toJsonValue(items) };
      },
    }),
    route({
      method: 'post',
      path: '/v1/access/retrieve',
      operationId: 'access_retrieve',
      summary: 'retrieve a record’s file under an approval; granted or refused, the retrieval is logged',
      description:
        'The requester must be a person whose key the caller holds. The event is signed by `signAs` or, by default, the server’s system key (the archive’s operator). A refusal answers 403 with the refusal’s `eventSeq`.',
      tag: 'access',
      access: 'access',
      body: RetrieveRequest,
      response: {
        status: 200,
        contentType: 'application/octet-stream',
        description: 'the file; X-Event-Seq is the retrieval event',
      },
      handler: async ({
        body,
        principal,
        config,
        served,
      }: RouteInput<unknown, unknown, z.infer<typeof RetrieveRequest>>) => {
        const { target, request, signer } = await retrievalOf(principal, config, served, body);
        const r = await archiveOps(served).access.retrieveBytes(target, request, signer);
        return octets(r.bytes, {
          'x-event-seq': String(r.event.seq),
          'x-content-digest': hexOf(r.ref.digest),
        });
      },
    }),
    route({
      method: 'post',
      path: '/v1/access/excerpt',
      operationId: 'access_excerpt',
      summary:
        'retrieve one 1 MiB chunk of a record’s file with its inclusion proof, as an excerpt document; logged as a retrieval',
      description:
        'A partial retrieval under an approval, judged and logged like /v1/access/retrieve (the event names the chunk; X-Event-Seq). The answer is the excerpt document of docs/FORMAT.md §Chunk excerpt, the same JSON the CLI’s `excerpt` writes: `verify-excerpt` checks it against the ledger, `verifyChunkExcerpt` anywhere. A chunk beyond the file is 400 before anything is logged.',
      tag: 'access',
      access: 'access',
      body: ExcerptRequest,
      response: {
        status: 200,
        contentType: 'application/json',
        description: 'the excerpt document; X-Event-Seq is the retrieval event',
        schema: ExcerptFileSchema,
      },
      handler: async ({
        body,
        principal,
        config,
        served,
        c,
      }: RouteInput<unknown, unknown, z.infer<typeof ExcerptRequest>>) => {
        const { target, request, signer } = await retrievalOf(principal, config, served, body);
        const r = await archiveOps(served).access.retrieveExcerpt(target, body.chunk, request, signer);
        const entry = await served.ledger.get(body.seq);
        const id = identify(entry);
        c.header('x-event-seq', String(r.event.seq));
        return excerptDocument({
          origin: served.ledger.origin,
          ledgerId: served.ledger.ledgerId,
          seq: entry.seq,
          kind: entry.kind,
          recordId: id.id,
          caseId: id.caseId,
          ref: r.ref,
          index: body.chunk,
          start: r.excerpt.start,
          end: r.excerpt.end,
          bytes: r.excerpt.bytes,
          proof: r.excerpt.proof,
        });
      },
    }),
    route({
      method: 'post',
      path: '/v1/access/disclose',
      operationId: 'access_disclose',
      summary:
        'disclose a case’s records under the head’s approval; granted or refused, the disclosure is logged',
      tag: 'access',
      access: 'access',
      body: DiscloseRequest,
      bodyDoc: bodyDoc('acc/disclosure'),
      response: {
        status: 201,
        contentType: 'application/json',
        description: 'the disclosure event',
        schema: Appended,
      },
      handler: async ({
        body,
        principal,
        config,
        served,
      }: RouteInput<unknown, unknown, z.infer<typeof DiscloseRequest>>) => {
        const signer = signerFor(principal, config, body.signAs, config.data.systemKey);
        const r = await archiveOps(served).access.disclose(ledgerBody(body.body) as never, signer);
        return appended({ ...r, kind: 'acc/disclosure' });
      },
    }),
    route({
      method: 'post',
      path: '/v1/content',
      operationId: 'put_content',
      summary: 'store a file (streamed) in the content store; returns the content ref to commit in a record',
      tag: 'records',
      access: 'append',
      rawBody: 'application/octet-stream',
      response: {
        status: 201,
        contentType: 'application/json',
        description: 'the content ref',
        schema: ContentRefJson,
      },
      handler: async ({ c, served }) => {
        const store = needStore(served);
        const stream = c.req.raw.body;
        if (!stream) throw httpError(400, 'BAD_REQUEST', 'no body');
        const ref = await store.put(stream as unknown as AsyncIterable<Uint8Array>);
        return { digest: hexOf(ref.digest), size: ref.size, chunkRoot: hexOf(ref.chunkRoot) };
      },
    }),
    route({
      method: 'post',
      path: '/v1/verify',
      operationId: 'verify',
      summary: 'verify the ledger and its records; pass checkpoints held elsewhere as trust anchors',
      tag: 'verify',
      access: 'verify',
      body: VerifyRequest,
      response: {
        status: 200,
        contentType: 'application/json',
        description: 'the verification report (ok, checks, problems)',
      },
      handler: async ({ body, served }: RouteInput<unknown, unknown, z.infer<typeof VerifyRequest>>) => {
        await served.refresh();
        const report = await served.records.verify({
          ...(body.checkpoints ? { checkpoints: body.checkpoints } : {}),
          ...(body.since ? { since: body.since } : {}),
        });
        return toJsonValue(report);
      },
    }),
    route({
      method: 'post',
      path: '/v1/bundles',
      operationId: 'export_bundle',
      summary: 'export a signed proof bundle of cases (or of an inspector’s sample) for offline verification',
      tag: 'export',
      access: 'export',
      body: BundleRequest,
      response: {
        status: 200,
        contentType: 'application/octet-stream',
        description: 'the bundle (docs/FORMAT.md §Proof bundle)',
      },
      handler: async ({
        body,
        served,
        config,
      }: RouteInput<unknown, unknown, z.infer<typeof BundleRequest>>) => {
        if ((body.caseIds === undefined) === (body.sample === undefined))
          throw new HttpError(400, {
            code: 'VALIDATION_FAILED',
            message: 'give exactly one of caseIds and sample',
            issues: [
              { code: 'one_of', path: ['caseIds'], message: 'give exactly one of caseIds and sample' },
            ],
          });
        const exporter = serverKey(config, 'exporterKey');
        await served.refresh();
        const store = served.store;
        const bytes = await exportBundle(served.ledger, {
          exporter,
          ...(body.caseIds ? { caseIds: body.caseIds } : {}),
          ...(body.sample
            ? { sample: { nonce: fromHex(body.sample.nonce.toLowerCase()), k: body.sample.k } }
            : {}),
          ...(body.inspectorSize ? { inspectorSize: body.inspectorSize } : {}),
          ...(body.checkpoint ? { checkpoint: body.checkpoint } : {}),
          ...(store
            ? {
                content: async (ref: ContentRef) => {
                  if (!(await store.has(ref.digest))) return undefined;
                  const parts: Uint8Array[] = [];
                  for await (const p of store.get(ref.digest)) parts.push(p as Uint8Array);
                  return Buffer.concat(parts);
                },
              }
            : {}),
        });
        return octets(bytes, { 'content-disposition': 'attachment; filename="bundle.elb"' });
      },
    }),
  ];
}
