/**
 * The `--json` output of every subcommand: one JSON object on stdout, `command` naming the subcommand. These zod
 * schemas are the documented contract (docs/CLI.md); fields are only ever added, never renamed or removed within
 * CLI_JSON_FORMAT. Byte strings are lowercase hex; times are ms since the epoch.
 */
import { z } from 'zod';

export const CLI_JSON_FORMAT = 'enforcement-ledger/cli@1';

const Hex32 = z.string().regex(/^[0-9a-f]{64}$/);
/** A raw public key in hex: 32 bytes (Ed25519) or 65 bytes (SM2, uncompressed point). */
const PublicKeyHex = z.string().regex(/^(?:[0-9a-f]{64}|04[0-9a-f]{128})$/);
const Seq = z.int().min(-1);
const base = <C extends string>(command: C) => ({
  format: z.literal(CLI_JSON_FORMAT),
  command: z.literal(command),
});

export const ErrorOutput = z.object({
  format: z.literal(CLI_JSON_FORMAT),
  command: z.string(),
  error: z.object({
    code: z.string().min(1),
    message: z.string(),
    exit: z.union([z.literal(1), z.literal(2), z.literal(3)]),
    /** A refusal the library recorded in the log (a refused retrieval): the seq of that entry. */
    eventSeq: z.int().min(0).optional(),
    /** A policy refusal: every reason (the first is `code`). */
    problems: z.array(z.object({ code: z.string(), message: z.string() })).optional(),
    /** A refused record or argument (VALIDATION_FAILED): every issue with its path, not only the first five. */
    issues: z
      .array(
        z.object({ code: z.string(), path: z.array(z.union([z.string(), z.int()])), message: z.string() }),
      )
      .optional(),
  }),
});

export const InitOutput = z.object({
  ...base('init'),
  dir: z.string(),
  origin: z.string(),
  ledgerId: Hex32,
  size: z.int().min(1),
  rootKey: z.object({ file: z.string(), keyId: Hex32, publicKey: PublicKeyHex }),
  checkpointKey: z.string(),
});

const KeyInfo = {
  name: z.string(),
  file: z.string(),
  keyId: Hex32,
  publicKey: PublicKeyHex,
  publicKeyPem: z.string(),
  /** The key as a witness's C2SP verifier key (cosignature/v1), as `verify-bundle --witness` takes it. */
  witnessKey: z.string(),
};

export const KeysGenerateOutput = z.object({ ...base('keys generate'), ...KeyInfo });

export const KeysShowOutput = z.object({
  ...base('keys show'),
  ...KeyInfo,
  /** The log's verifier key (`verify-bundle --log-key`) when this is the folder's checkpoint key; else null. */
  logKey: z.string().nullable(),
  registered: z
    .object({
      principal: z.string(),
      roles: z.array(z.string()),
      registeredAt: z.int(),
      revokedAt: z.int().nullable(),
    })
    .nullable(),
});

const Appended = z.object({ seq: z.int().min(0), kind: z.string(), leafHash: Hex32, time: z.int() });

export const RegisterOutput = z.object({
  ...base('register'),
  what: z.enum(['officer', 'device', 'role']),
  principal: z.string(),
  keyId: Hex32,
  roles: z.array(z.string()),
  entries: z.array(Appended),
});

export const AppendOutput = z.object({ ...base('append'), entries: z.array(Appended).min(1) });

const ContentRefJson = z.object({ digest: Hex32, size: z.int().min(0), chunkRoot: Hex32 });

export const IngestOutput = z.object({
  ...base('ingest'),
  file: z.string(),
  content: ContentRefJson,
  segment: z.object({
    segmentId: z.string(),
    sessionId: z.string(),
    position: z.int().min(0),
    prevDigest: Hex32.nullable(),
  }),
  entry: Appended,
});

const CheckStatus = z.enum(['pass', 'fail', 'skipped']);

const Problem = z.object({ seq: Seq, code: z.string(), message: z.string() });

export const ContentProblem = z.object({
  seq: z.int().min(0),
  /** The record whose file it is: its kind and id (DOC-…, SEG-…), null for a kind that defines no id. */
  kind: z.string(),
  recordId: z.string().nullable(),
  digest: Hex32,
  code: z.string(),
  message: z.string(),
});

const FindingJson = z.object({
  rule: z.string(),
  article: z.string(),
  liability: z.string(),
  severity: z.enum(['violation', 'warning', 'info']),
  seqs: z.array(z.int()),
  code: z.string(),
  message: z.object({ zh: z.string(), en: z.string() }),
  evidence: z.record(z.string(), z.unknown()),
});

/** Retention and access findings of the whole ledger (src/access/archive.ts verifyArchive, presence only). */
export const ArchiveJson = z.object({
  ok: z.boolean(),
  findings: z.array(FindingJson),
  retention: z.object({
    contents: z.int().min(0),
    present: z.int().min(0),
    purged: z.int().min(0),
    missing: z.int().min(0),
    purges: z.int().min(0),
  }),
  access: z.object({ retrievals: z.int().min(0), refused: z.int().min(0), disclosures: z.int().min(0) }),
});

export const VerifyOutput = z.object({
  ...base('verify'),
  ok: z.boolean(),
  size: z.int().min(0),
  root: Hex32,
  since: z.int().min(0).nullable(),
  checkpoints: z.int().min(0),
  /** The sizes of the checkpoints recorded in the log (oldest first); null when the log cannot be opened. */
  logCheckpoints: z.array(z.int().min(0)).nullable(),
  problems: z.array(Problem),
  /** The ledger verification's checklist, in order: each check's status (docs/PROBLEMS.md). */
  checks: z.array(
    z.object({
      name: z.string(),
      status: z.enum(['passed', 'failed', 'not_checked', 'not_anchored']),
      problems: z.int().min(0),
      detail: z.string().optional(),
    }),
  ),
  stats: z.object({
    entries: z.int(),
    signatures: z.int(),
    nodes: z.int(),
    indexRows: z.int(),
    checkpoints: z.int(),
  }),
  /** Enforcement record checks replayed as of each record (null with --no-records, or when the ledger cannot open). */
  records: z
    .object({
      checked: z.int().min(0),
      problems: z.array(
        z.object({
          seq: z.int().min(0),
          code: z.literal('RECORD_INVALID'),
          /** The record check's issue code (`case_archived`, `dangling_reference`…). */
          issue: z.string(),
          path: z.string(),
          message: z.string(),
        }),
      ),
    })
    .nullable(),
  content: z
    .object({
      files: z.int().min(0),
      ok: z.int().min(0),
      purged: z.int().min(0),
      bytes: z.int().min(0),
      problems: z.array(ContentProblem),
    })
    .nullable(),
  /** `--content`: retention and access findings (verifyRetention + verifyAccess), or null. */
  archive: ArchiveJson.nullable(),
});

export const CheckpointOutput = z.object({
  ...base('checkpoint'),
  origin: z.string(),
  size: z.int().min(1),
  root: Hex32,
  note: z.string(),
  file: z.string().nullable(),
});

export const WitnessCosignOutput = z.object({
  ...base('witness cosign'),
  origin: z.string(),
  size: z.int().min(1),
  oldSize: z.int().min(0),
  witness: z.string(),
  /** The witness's C2SP verifier key (cosignature/v1), as `verify-bundle --witness` takes it. */
  witnessKey: z.string(),
  line: z.string().startsWith('\u2014 '),
  recorded: z.int().min(0).nullable(),
  file: z.string().nullable(),
});

const CaseReportJson = z.object({
  format: z.string(),
  caseId: z.string(),
  matterType: z.string(),
  ruleSet: z
    .object({ name: z.string(), version: z.union([z.string(), z.number()]), hash: z.string() })
    .loose(),
  asOf: z.int(),
  compliant: z.boolean(),
  counts: z.object({ total: z.int() }).loose(),
  findings: z.array(FindingJson),
  summary: z.object({ zh: z.string(), en: z.string() }),
});

export const ComplianceOutput = z.object({
  ...base('compliance'),
  scope: z.enum(['case', 'ledger']),
  compliant: z.boolean(),
  violations: z.int().min(0),
  cases: z.array(CaseReportJson),
  html: z.string().nullable(),
  /** Scope `ledger`: retention and access findings (their violations count in `violations`); `case`: null. */
  archive: ArchiveJson.nullable(),
  /**
   * Scope `ledger`: the agency's own findings, not a case's (Art. 28: periods of the rule set's cadence with no
   * self-check, self-checks signed by someone else); their violations count in `violations`. `case`: null.
   */
  agency: z.array(FindingJson).nullable(),
  /** Scope `ledger`: cases and violations per reporting agency (Art. 32: an entrusted organisation's cases under the
   * agency that entrusted it). `case`: null. */
  byAgency: z.record(z.string(), z.object({ cases: z.int().min(0), violations: z.int().min(0) })).nullable(),
});

export const SelfCheckOutput = z.object({
  ...base('self-check'),
  selfCheckId: z.string(),
  agencyId: z.string(),
  periodFrom: z.int(),
  periodTo: z.int(),
  scope: z.array(z.string()).min(1),
  checkedBy: z.array(z.string()).min(1),
  checkedAt: z.int(),
  /** The ledger suite's hash of the exact bytes of each report (the files `--reports` wrote, when given). */
  verifyReportDigest: Hex32,
  complianceReportDigest: Hex32,
  reports: z.object({ verify: z.string(), compliance: z.string() }).nullable(),
  /** What the reports found: compliance violations (cases and agency) plus verification problems; warnings. */
  findings: z.object({ violations: z.int().min(0), warnings: z.int().min(0) }),
  entry: Appended,
  /** The agency's Art. 28 findings left after this self-check (other periods with none). */
  agency: z.array(FindingJson),
});

export const RetentionScheduleOutput = z.object({
  ...base('retention schedule'),
  at: z.int(),
  caseId: z.string().nullable(),
  policy: z.object({ name: z.string(), version: z.int(), hash: Hex32 }),
  items: z.array(
    z.object({
      seq: z.int().min(0),
      kind: z.string(),
      digest: Hex32,
      caseId: z.string().nullable(),
      recordId: z.string().nullable(),
      state: z.enum(['permanent', 'pending', 'scheduled']),
      retentionClass: z.string().nullable(),
      basis: z.enum(['case_file', 'av_recording', 'av_deposit']).nullable(),
      evidence: z.boolean(),
      from: z.int().nullable(),
      expiresAt: z.int().nullable(),
      pendingReason: z.string().nullable(),
      holds: z.array(z.int().min(0)),
      purgedBy: z.int().min(0).nullable(),
      purgeable: z.boolean(),
    }),
  ),
  counts: z.object({
    total: z.int().min(0),
    scheduled: z.int().min(0),
    purgeable: z.int().min(0),
    held: z.int().min(0),
    purged: z.int().min(0),
    pending: z.int().min(0),
    permanent: z.int().min(0),
  }),
});

export const RetentionPurgeOutput = z.object({
  ...base('retention purge'),
  purgeId: z.string(),
  purgeSeq: z.int().min(0),
  /** The purge entry existed (a re-run after a crash): only the remaining deletions were done now. */
  resumed: z.boolean(),
  targets: z.array(z.object({ seq: z.int().min(0), digest: Hex32 })),
  /** Digests whose content this run removed from the store. */
  removed: z.array(Hex32),
  entry: Appended,
});

export const RetrieveOutput = z.object({
  ...base('retrieve'),
  granted: z.literal(true),
  /** The granted retrieval event (`acc/retrieval`). */
  event: Appended,
  seq: z.int().min(0),
  digest: Hex32,
  size: z.int().min(0),
  out: z.string(),
  requesterId: z.string(),
  approvalId: z.string().nullable(),
});

const ScopeLists = {
  /** The listed records the entry names; null: every record of the case. */
  documentIds: z.array(z.string()).nullable(),
  segmentIds: z.array(z.string()).nullable(),
  dataIds: z.array(z.string()).nullable(),
};

/** A document, segment or data record a hold, label or disclosure covers. */
const CoveredRecord = { seq: z.int().min(0), kind: z.string(), recordId: z.string() };

export const RetentionHoldOutput = z.object({
  ...base('retention hold'),
  holdId: z.string(),
  caseId: z.string(),
  ...ScopeLists,
  reason: z.string(),
  placedAt: z.int(),
  /** The `ret/hold` entry. */
  entry: Appended,
  /** Records the hold covers, with the holds (seqs) in force on each, this one included. */
  records: z.array(z.object({ ...CoveredRecord, holds: z.array(z.int().min(0)) })),
});

export const RetentionReleaseOutput = z.object({
  ...base('retention release'),
  holdId: z.string(),
  /** The released `ret/hold` entry. */
  holdSeq: z.int().min(0),
  caseId: z.string(),
  reason: z.string(),
  releasedAt: z.int(),
  /** The `ret/hold.release` entry. */
  entry: Appended,
  /** Records the hold covered, with the holds still in force on each (others). */
  records: z.array(z.object({ ...CoveredRecord, holds: z.array(z.int().min(0)) })),
});

const Label = z.enum(['state_secret', 'commercial_secret', 'personal_privacy']);

export const LabelSetOutput = z.object({
  ...base('label set'),
  labelId: z.string(),
  caseId: z.string(),
  ...ScopeLists,
  labels: z.array(Label).min(1),
  reason: z.string().nullable(),
  labelledAt: z.int(),
  /** Per label, the roles an approver of a retrieval or disclosure must hold one of (the policy). */
  approverRoles: z.array(z.object({ label: Label, roles: z.array(z.string()) })),
  /** The `acc/label` entry. */
  entry: Appended,
  /** Records the label covers, with every label now on each. */
  records: z.array(z.object({ ...CoveredRecord, labels: z.array(Label) })),
});

export const DiscloseApproveOutput = z.object({
  ...base('disclose approve'),
  approvalId: z.string(),
  decision: z.enum(['approved', 'rejected']),
  caseId: z.string(),
  recipient: z.string(),
  purpose: z.string(),
  decidedAt: z.int(),
  /** The `enf/approval.disclosure` entry. */
  entry: Appended,
});

export const DiscloseRecordOutput = z.object({
  ...base('disclose record'),
  granted: z.literal(true),
  /** The granted `acc/disclosure` event (a refusal is an error object with its `eventSeq`). */
  event: Appended,
  approvalId: z.string(),
  caseId: z.string(),
  ...ScopeLists,
  recipient: z.string(),
  records: z.array(z.object(CoveredRecord)),
});

export const RequestRetrievalOutput = z.object({
  ...base('request retrieval'),
  requestId: z.string(),
  /** internal: agency staff (Art. 24); external: an outside person or unit (Art. 25). */
  scope: z.enum(['internal', 'external']),
  requesterId: z.string(),
  /** External requests: the staff member handling it, whom the approval names. */
  contactId: z.string().nullable(),
  caseId: z.string(),
  ...ScopeLists,
  purpose: z.string(),
  requestedAt: z.int(),
  /** The `acc/retrieval.request` entry. */
  entry: Appended,
  records: z.array(z.object(CoveredRecord)),
});

export const ApproveRetrievalOutput = z.object({
  ...base('approve retrieval'),
  approvalId: z.string(),
  decision: z.enum(['approved', 'rejected']),
  /** The `acc/retrieval.request` approved, or null (the approval names requester and case itself). */
  requestId: z.string().nullable(),
  /** Who may retrieve under it (`retrieve --requester`): the request's requester, else the approval's. */
  requesterId: z.string(),
  caseId: z.string(),
  purpose: z.string(),
  slipNo: z.string(),
  decidedAt: z.int(),
  /** The validity window and number of retrievals in force (given, or the access policy's defaults). */
  validFrom: z.int(),
  validUntil: z.int(),
  maxUses: z.int().min(1),
  /** The `enf/approval.retrieval` entry. */
  entry: Appended,
});

const PurgeTargetJson = z.object({
  seq: z.int().min(0),
  digest: Hex32,
  kind: z.string(),
  recordId: z.string().nullable(),
  expiresAt: z.int().nullable(),
  /** Expired at the request's time, not held, not purged. */
  purgeable: z.boolean(),
});

export const RequestPurgeOutput = z.object({
  ...base('request purge'),
  requestId: z.string(),
  caseId: z.string().nullable(),
  reason: z.string(),
  requestedAt: z.int(),
  targets: z.array(PurgeTargetJson).min(1),
  /** The `ret/purge.request` entry. */
  entry: Appended,
});

export const ApprovePurgeOutput = z.object({
  ...base('approve purge'),
  approvalId: z.string(),
  decision: z.enum(['approved', 'rejected']),
  requestId: z.string(),
  caseId: z.string().nullable(),
  reason: z.string(),
  decidedAt: z.int(),
  /** The request's targets, which the approval names. */
  targets: z.array(z.object({ seq: z.int().min(0), digest: Hex32 })).min(1),
  /** The `enf/approval.purge` entry. */
  entry: Appended,
});

export const ExcerptOutput = z.object({
  ...base('excerpt'),
  /** The excerpt file written (format enforcement-ledger/excerpt@1, docs/CLI.md). */
  file: z.string(),
  seq: z.int().min(0),
  kind: z.string(),
  recordId: z.string().nullable(),
  caseId: z.string().nullable(),
  content: ContentRefJson,
  chunk: z.object({
    index: z.int().min(0),
    /** Byte range [start, end) of the recorded file. */
    start: z.int().min(0),
    end: z.int().min(0),
    /** Chunks in the file. */
    chunks: z.int().min(1),
    proofLength: z.int().min(0),
  }),
  /** The granted retrieval event (`acc/retrieval`, naming the chunk). */
  event: Appended,
  requesterId: z.string(),
  approvalId: z.string().nullable(),
});

export const InspectorPageOutput = z.object({
  ...base('inspector-page'),
  file: z.string(),
  bytes: z.int().min(0),
  /** SHA-256 of the page written, hex. */
  sha256: z.string(),
});

export const VerifyExcerptOutput = z.object({
  ...base('verify-excerpt'),
  file: z.string(),
  ok: z.boolean(),
  /** EXCERPT_OK, a library code (EXCERPT_OUT_OF_RANGE, EXCERPT_WRONG_LENGTH, EXCERPT_PROOF_INVALID) or the CLI's. */
  code: z.string(),
  message: z.string(),
  /** In order; after the first failure the rest are skipped. */
  checks: z.object({
    ledger: CheckStatus,
    record: CheckStatus,
    signature: CheckStatus,
    inclusion: CheckStatus,
    content: CheckStatus,
    chunk: CheckStatus,
  }),
  seq: z.int().min(0),
  kind: z.string(),
  recordId: z.string().nullable(),
  digest: Hex32,
  index: z.int().min(0),
  /** The byte range of the recorded file the excerpt proves (null unless ok). */
  range: z.object({ start: z.int().min(0), end: z.int().min(0) }).nullable(),
  /** What the record's inclusion was proved against: a signed checkpoint (`log`: the newest in the log covering
   * the entry; `file`: --checkpoint) or, when none covers it yet, the ledger's current tree (`tree`). */
  anchor: z.object({ source: z.enum(['log', 'file', 'tree']), size: z.int().min(1), root: Hex32 }).nullable(),
});

export const DeclareKindsOutput = z.object({
  ...base('declare-kinds'),
  /** Kinds declared by this run (empty: all were declared already). */
  declared: z.array(z.string()),
  entries: z.array(Appended),
});

export const DemoOutput = z.object({
  ...base('demo'),
  dir: z.string(),
  caseId: z.string(),
  defects: z.array(z.string()),
  size: z.int().min(1),
  root: Hex32,
  checkpoint: z.string(),
  /** The log's C2SP verifier key, as `verify-bundle --log-key` takes it. */
  checkpointKey: z.string(),
  verify: z.object({ ok: z.boolean(), problems: z.int().min(0) }),
  content: z.object({ files: z.int(), ok: z.int() }),
  compliance: z.object({
    compliant: z.boolean(),
    findings: z.array(z.object({ article: z.string(), code: z.string(), severity: z.string() })),
  }),
});

export const ExportBundleOutput = z.object({
  ...base('export-bundle'),
  file: z.string(),
  bytes: z.int().min(1),
  origin: z.string(),
  size: z.int().min(1),
  root: Hex32,
  cases: z.array(z.string()),
  entries: z.int().min(1),
  nonce: z
    .string()
    .regex(/^[0-9a-f]+$/)
    .nullable(),
});

export const VerifyBundleOutput = z.object({
  ...base('verify-bundle'),
  file: z.string(),
  /** Every check passed and no case has a violation. */
  ok: z.boolean(),
  /** The bundle itself verified (checks only, anchored). */
  verified: z.boolean(),
  /** A trust anchor passed: the log key pinned (or the bundle's trusted by choice), a witness quorum, a held checkpoint. */
  anchored: z.boolean(),
  checks: z.record(
    z.string(),
    z.object({
      status: z.enum(['passed', 'failed', 'not_checked', 'not_anchored']),
      problems: z.int().min(0),
      detail: z.string().nullable(),
    }),
  ),
  problems: z.array(
    z.object({
      check: z.string(),
      code: z.string(),
      message: z.string(),
      seq: z.int().nullable(),
      caseId: z.string().nullable(),
    }),
  ),
  origin: z.string(),
  size: z.int().min(0),
  root: z.string(),
  cosigners: z.array(z.string()),
  /** The keys the bundle claims, to compare out of band (the log key in the form --log-key takes). */
  keys: z.object({
    log: z.string().nullable(),
    cosignatures: z.array(z.object({ name: z.string(), keyId: z.string() })),
  }),
  ruleSet: z
    .object({ name: z.string(), version: z.string(), hash: z.string(), trusted: z.boolean() })
    .nullable(),
  entries: z.int().min(0),
  cases: z.array(
    z.object({
      caseId: z.string(),
      /** Compliant by the bundle's rule set; never true when the bundle did not verify. */
      compliant: z.boolean(),
      findings: z.array(
        z.object({
          article: z.string(),
          code: z.string(),
          severity: z.string(),
          message: z.object({ zh: z.string(), en: z.string() }),
        }),
      ),
    }),
  ),
  html: z.string().nullable(),
});

export const SampleOutput = z.object({
  ...base('sample'),
  size: z.int().min(1),
  nonce: z.string().regex(/^[0-9a-f]+$/),
  seed: Hex32,
  population: z.int().min(0),
  selected: z.array(z.string()),
});

export const ServeOutput = z.object({
  ...base('serve'),
  url: z.string(),
  signal: z.string(),
  size: z.int().min(0),
});

/** Schema of each subcommand's --json output, by `command`. */
export const OUTPUT_SCHEMAS = {
  init: InitOutput,
  'keys generate': KeysGenerateOutput,
  'keys show': KeysShowOutput,
  register: RegisterOutput,
  append: AppendOutput,
  ingest: IngestOutput,
  verify: VerifyOutput,
  checkpoint: CheckpointOutput,
  'witness cosign': WitnessCosignOutput,
  compliance: ComplianceOutput,
  'self-check': SelfCheckOutput,
  demo: DemoOutput,
  'export-bundle': ExportBundleOutput,
  'verify-bundle': VerifyBundleOutput,
  'inspector-page': InspectorPageOutput,
  sample: SampleOutput,
  'retention schedule': RetentionScheduleOutput,
  'retention purge': RetentionPurgeOutput,
  'retention hold': RetentionHoldOutput,
  'retention release': RetentionReleaseOutput,
  retrieve: RetrieveOutput,
  'label set': LabelSetOutput,
  'disclose approve': DiscloseApproveOutput,
  'disclose record': DiscloseRecordOutput,
  'request retrieval': RequestRetrievalOutput,
  'approve retrieval': ApproveRetrievalOutput,
  'request purge': RequestPurgeOutput,
  'approve purge': ApprovePurgeOutput,
  excerpt: ExcerptOutput,
  'verify-excerpt': VerifyExcerptOutput,
  'declare-kinds': DeclareKindsOutput,
  serve: ServeOutput,
} as const;

export type OutputOf<C extends keyof typeof OUTPUT_SCHEMAS> = z.infer<(typeof OUTPUT_SCHEMAS)[C]>;
