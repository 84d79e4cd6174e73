/**
 * The `enforcement-ledger` command line (commander). `run(argv, io)` parses, runs one subcommand and returns the exit
 * code; it never throws and never prints a stack trace: errors are one line, `error <CODE>: <message>`, on stderr
 * (and a JSON error object on stdout with --json). Exit codes: docs/CLI.md.
 */
import { SUITE_IDS } from '../crypto/registry';
import { resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { type Ctx, type Io, type Outcome, emit, makeCtx } from './context';
import { errorText } from './error-words';
import { EXIT, classify } from './exit';
import { type Lang, localeLang } from './lang';
import { CLI_JSON_FORMAT } from './schemas';
import { closeIndexStores } from './folder';
import { isPostgresUrl } from '../ledger/pg-store';
import { append } from './commands/append';
import {
  type ApprovePurgeOptions,
  type ApproveRetrievalOptions,
  approvePurge,
  approveRetrieval,
} from './commands/approve';
import { exportBundleCmd, sampleCmd, verifyBundleCmd } from './commands/bundle';
import { checkpoint } from './commands/checkpoint';
import { compliance } from './commands/compliance';
import { type SelfCheckOptions, selfCheck } from './commands/self-check';
import { demo } from './commands/demo';
import {
  type DiscloseApproveOptions,
  type DiscloseRecordOptions,
  discloseApprove,
  discloseRecord,
} from './commands/disclose';
import { retentionHold, retentionRelease } from './commands/hold';
import { type ExcerptOptions, excerpt, verifyExcerpt } from './commands/excerpt';
import { ingest } from './commands/ingest';
import { ENCODINGS, type InputEncoding } from './commands/input';
import { inspectorPage } from './commands/inspector-page';
import { init } from './commands/init';
import { keysGenerate, keysShow } from './commands/keys';
import { labelSet } from './commands/label';
import { register } from './commands/register';
import {
  type RequestPurgeOptions,
  type RequestRetrievalOptions,
  requestPurge,
  requestRetrieval,
} from './commands/request';
import { declareKinds, retentionPurge, retentionSchedule } from './commands/retention';
import { type RetrieveCmdOptions, retrieve } from './commands/retrieve';
import { parseTime } from './commands/time';
import { type ServeOptions, serveCmd } from './commands/serve';
import { setHintCommand } from './commands/next';
import { verify } from './commands/verify';
import { witnessCosign } from './commands/witness';

export const VERSION = '0.1.0';

const collect = (v: string, prev: string[] = []) => [...prev, v];

/** The options of every retrieval (`retrieve`, `excerpt`): who, under which approval, why, and the operator's key. */
const retrievalOptions = {
  requester: () =>
    new Option('--requester <personId>', 'who retrieves (the approval’s requester)').makeOptionMandatory(),
  approval: () => new Option('--approval <id>', 'the retrieval approval (enf/approval.retrieval)'),
  purpose: () => new Option('--purpose <text>', 'purpose of the retrieval'),
  key: () =>
    new Option(
      '--key <key>',
      'signing key of the archive’s operator (archivist or system)',
    ).makeOptionMandatory(),
};

interface Globals {
  dir?: string;
  lang?: Lang;
  json?: boolean;
  quiet?: boolean;
  now?: string;
}

export function buildProgram(
  io: Io,
  done: (o: Outcome, ctx: Ctx) => void,
  state: { ctx?: Ctx; command: string },
) {
  const program = new Command('enforcement-ledger');
  program
    .description(
      'Tamper-evident ledger of health administrative law enforcement records: verify, witness, report.',
    )
    .version(VERSION, '-V, --version')
    .option('-d, --dir <folder>', 'ledger folder (default: $ENFORCEMENT_LEDGER_DIR or the current folder)')
    .addOption(
      new Option('--lang <lang>', 'language of human output (default: from LANG)').choices(['zh', 'en']),
    )
    .option('--json', 'print one JSON object (docs/CLI.md) instead of text')
    .option('-q, --quiet', 'no progress bars; no text when all is well')
    .addOption(
      // Tests and auditors replaying history (docs/CLI.md "The clock"); also $EL_NOW. Not for day-to-day use.
      new Option('--now <time>', 'run as of this time: append times, expiries, approval windows').hideHelp(),
    )
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: () => {},
    })
    .showSuggestionAfterError(false);

  const ctxOf = (cmd: Command, dirOverride?: string): Ctx => {
    const g = cmd.optsWithGlobals() as Globals;
    const given = dirOverride ?? g.dir ?? io.env.ENFORCEMENT_LEDGER_DIR ?? '.';
    // `verify` also takes a PostgreSQL ledger's URL in place of the folder.
    const dir = isPostgresUrl(given) ? given : resolve(io.cwd, given);
    const nowFrom = g.now !== undefined ? '--now' : io.env.EL_NOW ? 'EL_NOW' : undefined;
    const ctx = makeCtx(io, {
      dir,
      lang: g.lang ?? localeLang(io.env),
      json: g.json === true,
      quiet: g.quiet === true,
      ...(nowFrom ? { now: parseTime((g.now ?? io.env.EL_NOW)!, nowFrom) } : {}),
    });
    state.ctx = ctx;
    return ctx;
  };
  const act =
    <A extends unknown[]>(
      name: string,
      fn: (ctx: Ctx, ...args: A) => Promise<Outcome>,
      dirArg?: (args: A) => string | undefined,
    ) =>
    async (...raw: unknown[]) => {
      state.command = name;
      const cmd = raw[raw.length - 1] as Command;
      const args = raw.slice(0, -1) as A;
      const ctx = ctxOf(cmd, dirArg?.(args));
      done(await fn(ctx, ...args), ctx);
    };

  program
    .command('init')
    .description('create a ledger folder: root key, ledger, content store, config')
    .option('--origin <origin>', 'log origin, first line of every checkpoint')
    .option('--agency-id <id>', 'record the agency with this id')
    .option('--agency-name <name>', 'the agency name')
    .option('--region <code>', 'administrative division of the agency')
    .option(
      '--ledger <postgres-url>',
      'keep the ledger in PostgreSQL (several servers append) instead of <folder>/ledger',
    )
    .addOption(
      new Option(
        '--suite <suite>',
        'crypto suite: ed25519-sha256 (default) or sm2-sm3 (国密 SM2/SM3)',
      ).choices([...SUITE_IDS]),
    )
    .action(
      act(
        'init',
        (
          ctx,
          o: {
            origin?: string;
            agencyId?: string;
            agencyName?: string;
            region?: string;
            ledger?: string;
            suite?: string;
          },
        ) => init(ctx, o),
      ),
    );

  const keys = program.command('keys').description('Ed25519 or SM2 key files (PKCS#8 PEM, mode 0600)');
  keys
    .command('generate <name>')
    .description('generate <folder>/keys/<name>.pem (or a path ending in .pem)')
    .option('--force', 'replace an existing key file')
    .option(
      '--witness-name <name>',
      'the name the key cosigns as, in its witness verifier key (default: <name>)',
    )
    .addOption(
      new Option('--suite <suite>', "the key's suite (default: the folder's, else ed25519-sha256)").choices([
        ...SUITE_IDS,
      ]),
    )
    .action(
      act(
        'keys generate',
        (ctx, name: string, o: { force?: boolean; witnessName?: string; suite?: string }) =>
          keysGenerate(ctx, name, o),
      ),
    );
  keys
    .command('show <name>')
    .description(
      'key id, public key, verifier keys (for --witness, --log-key) and its registration in the ledger',
    )
    .option(
      '--witness-name <name>',
      'the name the key cosigns as, in its witness verifier key (default: <name>)',
    )
    .addOption(
      new Option(
        '--verifier-key <which>',
        'print only this verifier key: witness or log (the checkpoint key)',
      ).choices(['witness', 'log']),
    )
    .action(
      act('keys show', (ctx, name: string, o: { witnessName?: string; verifierKey?: 'witness' | 'log' }) =>
        keysShow(ctx, name, o),
      ),
    );

  const reg = program.command('register').description('bind a key to an officer, a device or a role');
  reg
    .command('officer')
    .description('record a person (officer, supervisor, head, archivist, inspector) and bind their key')
    .requiredOption('--key <key>', 'the person’s key (name or .pem path)')
    .requiredOption('--id <personId>', 'person id')
    .requiredOption('--name <name>', 'full name')
    .option('--roles <roles>', 'comma-separated roles', 'officer')
    .option('--cert <no>', 'law-enforcement certificate number (required for officers)')
    .option('--title <title>', 'job title')
    .option('--agency <id>', 'agency id (default: from init)')
    .option('--admin <key>', 'signing admin key', 'root')
    .action(act('register', (ctx, o: Parameters<typeof register>[2]) => register(ctx, 'officer', o)));
  reg
    .command('device')
    .description('record a recording device and bind its key (role device)')
    .requiredOption('--key <key>', 'the device’s key')
    .requiredOption('--id <deviceId>', 'device id')
    .requiredOption('--serial <no>', 'serial number')
    .requiredOption('--assigned-officer <personId>', 'officer the device is issued to')
    .option('--type <type>', 'device type', 'body_camera')
    .option('--model <model>', 'model')
    .option('--agency <id>', 'agency id (default: from init)')
    .option('--admin <key>', 'signing admin key', 'root')
    .action(act('register', (ctx, o: Parameters<typeof register>[2]) => register(ctx, 'device', o)));
  reg
    .command('role')
    .description('bind a key to a principal with roles (e.g. checkpointer, system)')
    .requiredOption('--key <key>', 'the key')
    .requiredOption('--principal <id>', 'principal id')
    .requiredOption('--roles <roles>', 'comma-separated roles')
    .option('--admin <key>', 'signing admin key', 'root')
    .action(act('register', (ctx, o: Parameters<typeof register>[2]) => register(ctx, 'role', o)));

  program
    .command('append [file]')
    .description(
      'append a JSON record { kind, body, content? } (or an array, atomically) from a file or stdin (-)',
    )
    .requiredOption('--key <key>', 'signing key')
    .option('--attach <file>', 'store a file and commit it to the record (repeatable)', collect)
    .addOption(
      new Option('--encoding <encoding>', 'text encoding of the record file (default utf-8)').choices(
        ENCODINGS,
      ),
    )
    .action(
      act(
        'append',
        (ctx, file: string | undefined, o: { key: string; attach?: string[]; encoding?: InputEncoding }) =>
          append(ctx, file ?? '-', o),
      ),
    );

  program
    .command('ingest <media>')
    .description('store an AV file in the content store and append its segment record (signed by the device)')
    .requiredOption('--key <key>', 'device key')
    .requiredOption('--case <caseId>', 'case id')
    .requiredOption('--action <actionId>', 'on-site action id')
    .requiredOption('--segment-id <id>', 'segment id')
    .requiredOption('--session <id>', 'recording session id')
    .requiredOption('--start <time>', 'recording start (ISO 8601, UTC+8 unless an offset is given; or ms)')
    .requiredOption('--end <time>', 'recording end')
    .option('--officer <personId>', 'officer wearing the device (default: the device’s assigned officer)')
    .option('--device <deviceId>', 'device id (default: the key’s principal)')
    .option('--position <n>', 'position in the session (default: next)')
    .option('--media-type <type>', 'media type (default: from the file extension)')
    .action(act('ingest', (ctx, media: string, o: Parameters<typeof ingest>[2]) => ingest(ctx, media, o)));

  program
    .command('verify')
    .description(
      'verify the ledger: bytes, signatures, chain and tree, roles, checkpoints, index; --content re-hashes files',
    )
    .option('--content', 'also re-hash every stored file')
    .option('--no-records', 'skip the enforcement records’ own checks (ids, references, state, archive lock)')
    .option('--since <checkpoint>', 'incremental: trust the log up to this checkpoint file')
    .option(
      '--checkpoint <file>',
      'a checkpoint held outside the ledger (repeatable): detects truncation and forks',
      collect,
    )
    .action(
      act(
        'verify',
        (ctx, o: { content?: boolean; since?: string; checkpoint?: string[]; records?: boolean }) =>
          verify(ctx, o),
      ),
    );

  program
    .command('checkpoint')
    .description('sign a checkpoint of the log, record it, print it')
    .option('--key <key>', 'checkpoint key', 'root')
    .option('--out <file>', 'write the signed note to this file')
    .action(act('checkpoint', (ctx, o: { key: string; out?: string }) => checkpoint(ctx, o)));

  const witness = program.command('witness').description('witness cosignatures (c2sp.org/tlog-witness)');
  witness
    .command('cosign <checkpoint>')
    .description('check a checkpoint’s signature and consistency with the last one cosigned, then cosign it')
    .requiredOption('--key <key>', 'witness key')
    .option('--name <name>', 'witness name (its verifier key name; default: the key’s name)')
    .option(
      '--state <file|url>',
      "witness state: a file, or a postgres:// URL (default: the PostgreSQL ledger's database, else <folder>/witness/<name>.state.json)",
    )
    .option('--record', 'append the cosignature to the ledger')
    .option('--admin <key>', 'key that records the cosignature (admin or checkpointer)', 'root')
    .option('--out <file>', 'write the cosigned checkpoint to this file')
    .action(
      act('witness cosign', (ctx, file: string, o: Parameters<typeof witnessCosign>[2]) =>
        witnessCosign(ctx, file, o),
      ),
    );

  program
    .command('sample')
    .description('which cases an inspector’s nonce draws at a checkpoint (Art. 29; reproducible)')
    .requiredOption('--k <n>', 'number of cases')
    .option('--nonce <hex>', 'the inspector’s nonce (default: fresh random, printed)')
    .option('--checkpoint <file>', 'checkpoint to draw at (default: the newest in the log)')
    .action(act('sample', (ctx, o: { k: string; nonce?: string; checkpoint?: string }) => sampleCmd(ctx, o)));
  program
    .command('export-bundle')
    .description('export a signed proof bundle of cases, or of a sample, for an inspector')
    .requiredOption('--out <file>', 'bundle file to write')
    .option('--case <caseId>', 'a case to export (repeatable)', collect)
    .option('--sample <k>', 'or: draw k cases with --nonce')
    .option('--nonce <hex>', 'the inspector’s sampling nonce')
    .option('--key <key>', 'exporter key (admin or archivist)', 'root')
    .option('--checkpoint <file>', 'cosigned checkpoint to prove against (default: newest in the log)')
    .option('--inspector-size <n>', 'size of the inspector’s checkpoint: include a consistency proof')
    .option('--content', 'carry small content files (document scans) in the bundle')
    .action(act('export-bundle', (ctx, o: Parameters<typeof exportBundleCmd>[1]) => exportBundleCmd(ctx, o)));
  program
    .command('verify-bundle <bundle>')
    .description('verify a proof bundle offline (no ledger needed); --html writes the inspector’s report')
    .option('--witness <vkey>', 'a trusted witness verifier key (repeatable)', collect)
    .option('--quorum <n>', 'cosignatures required, at least 1 (default: all given witnesses)')
    .option(
      '--log-key <vkey>',
      'pin the log’s checkpoint key (printed by verify-bundle, to compare out of band)',
    )
    .option(
      '--trust-bundle-keys',
      'trust the log key the bundle itself carries, without comparing it (only for a bundle from a source you already trust)',
    )
    .option(
      '--rule-set <hash>',
      'a trusted rule-set hash (repeatable; default: the built-in Jincheng rule set)',
      collect,
    )
    .option('--origin <origin>', 'pin the log origin')
    .option('--checkpoint <file>', 'a checkpoint the inspector already holds')
    .option('--nonce <hex>', 'the inspector’s sampling nonce')
    .option('--content <file>', 'a content file the inspector holds (repeatable)', collect)
    .option('--html <file>', 'write the self-contained HTML report (Chinese by default)')
    .action(
      act('verify-bundle', (ctx, file: string, o: Parameters<typeof verifyBundleCmd>[2]) =>
        verifyBundleCmd(ctx, file, o),
      ),
    );
  program
    .command('inspector-page <out>')
    .description(
      'write the inspector’s page: one offline HTML file that verifies a proof bundle in a browser (no Node, no network)',
    )
    .action(act('inspector-page', (ctx, out: string) => inspectorPage(ctx, out)));
  const retention = program
    .command('retention')
    .description('retention schedule and lawful purge (Art. 22, 27)');
  retention
    .command('schedule')
    .description('every stored file with its retention class and expiry; which may be purged')
    .option('--at <time>', 'as of this time (default: now)')
    .option('--case <caseId>', 'one case')
    .action(act('retention schedule', (ctx, o: { at?: string; case?: string }) => retentionSchedule(ctx, o)));
  retention
    .command('purge')
    .description(
      'purge expired content under the archivist’s request and the head’s approval; the entries stay, a purge entry is added',
    )
    .requiredOption(
      '--purge-id <id>',
      'id of this purge (re-run with the same id to finish an interrupted one)',
    )
    .requiredOption('--request-id <id>', 'the archivist’s purge request (ret/purge.request)')
    .option('--approval-id <id>', 'the head’s approval (enf/approval.purge)')
    .requiredOption('--key <key>', 'signing key (archivist or system)')
    .action(act('retention purge', (ctx, o: Parameters<typeof retentionPurge>[1]) => retentionPurge(ctx, o)));
  retention
    .command('hold')
    .description(
      'place a legal hold on a case or on listed records of it: nothing it covers may be purged until released',
    )
    .option('--case <caseId>', 'the case (without --record: every record of it)')
    .option('--record <id>', 'a document, segment or data record (repeatable; its case is inferred)', collect)
    .requiredOption('--reason <text>', 'why (e.g. litigation, review)')
    .option('--hold-id <id>', 'id of the hold (default: a fresh H-… id, printed)')
    .requiredOption('--key <key>', 'signing key (archivist or head)')
    .action(act('retention hold', (ctx, o: Parameters<typeof retentionHold>[1]) => retentionHold(ctx, o)));
  retention
    .command('release <holdId>')
    .description('release a legal hold (the hold stays in the log; its records may be purged once expired)')
    .requiredOption('--reason <text>', 'why the hold ends')
    .requiredOption('--key <key>', 'signing key (archivist or head)')
    .action(
      act('retention release', (ctx, holdId: string, o: { reason: string; key: string }) =>
        retentionRelease(ctx, holdId, o),
      ),
    );
  program
    .command('retrieve')
    .description('retrieve a record’s content under an approval; granted or refused, the retrieval is logged')
    .option('--record <id>', 'the document, segment or data record whose file it is (DOC-1, SEG-3)')
    .option('--seq <n>', 'the entry that commits the content')
    .option('--digest <hex>', 'the content’s SHA-256 (with --record or --seq: which of its files)')
    .addOption(retrievalOptions.requester())
    .addOption(retrievalOptions.approval())
    .addOption(retrievalOptions.purpose())
    .addOption(retrievalOptions.key())
    .requiredOption('--out <file>', 'write the content here (only when granted; never overwrites)')
    .action(act('retrieve', (ctx, o: RetrieveCmdOptions) => retrieve(ctx, o)));
  const label = program
    .command('label')
    .description('sensitivity labels: state secret, commercial secret, personal privacy (Art. 18, 26)');
  label
    .command('set')
    .description(
      'label a case or listed records of it; their retrieval and disclosure then need the approver the label requires',
    )
    .option('--case <caseId>', 'the case (without --record: every record of it)')
    .option('--record <id>', 'a document, segment or data record (repeatable; its case is inferred)', collect)
    .option(
      '--label <label>',
      'state_secret, commercial_secret or personal_privacy (or 国家秘密, 商业秘密, 个人隐私); repeatable',
      collect,
    )
    .option('--reason <text>', 'why')
    .option('--label-id <id>', 'id of the label entry (default: a fresh L-… id, printed)')
    .requiredOption('--key <key>', 'signing key (officer, supervisor, head or archivist)')
    .action(act('label set', (ctx, o: Parameters<typeof labelSet>[1]) => labelSet(ctx, o)));
  const disclose = program
    .command('disclose')
    .description('disclosure of records to outside parties, only with the head’s approval (Art. 26)');
  disclose
    .command('approve')
    .description('the head’s decision on a disclosure of a case’s records (enf/approval.disclosure)')
    .requiredOption('--case <caseId>', 'the case')
    .requiredOption('--recipient <who>', 'who receives the records')
    .requiredOption('--purpose <text>', 'purpose of the disclosure')
    .option('--reject', 'record a rejection instead of an approval')
    .option('--opinion <text>', 'the head’s opinion')
    .option('--scope <text>', 'which records, in words')
    .option('--approval-id <id>', 'id of the approval (default: a fresh DA-… id, printed)')
    .requiredOption('--key <key>', 'the head’s key (role head)')
    .action(act('disclose approve', (ctx, o: DiscloseApproveOptions) => discloseApprove(ctx, o)));
  disclose
    .command('record')
    .description(
      'disclose records under the head’s approval; granted or refused, the disclosure is logged (acc/disclosure)',
    )
    .option(
      '--approval <id>',
      'the head’s approval (disclose approve); gives the case, recipient and purpose',
    )
    .option('--case <caseId>', 'the case (default: the approval’s; without --record: every record of it)')
    .option('--record <id>', 'a document, segment or data record (repeatable; its case is inferred)', collect)
    .option('--recipient <who>', 'who receives the records (default: the approval’s)')
    .option('--purpose <text>', 'purpose (default: the approval’s)')
    .option('--channel <text>', 'how the records are provided')
    .requiredOption('--key <key>', 'signing key of the archive’s operator (archivist, system or head)')
    .action(act('disclose record', (ctx, o: DiscloseRecordOptions) => discloseRecord(ctx, o)));
  const request = program
    .command('request')
    .description(
      'requests that an approval then decides: a retrieval (调用单, Art. 24–25) or a purge (Art. 27)',
    );
  request
    .command('retrieval')
    .description(
      'a retrieval request (acc/retrieval.request) for a case or listed records of it; approve retrieval --request approves it',
    )
    .requiredOption(
      '--requester <id>',
      'who asks: a person id, or the outside requester’s id with --external',
    )
    .requiredOption('--purpose <text>', 'purpose of the retrieval')
    .option('--case <caseId>', 'the case (without --record: every record of it)')
    .option('--record <id>', 'a document, segment or data record (repeatable; its case is inferred)', collect)
    .option('--external', 'an outside person or unit (Art. 25): needs --organisation and --contact')
    .option('--organisation <unit>', 'the outside requester’s unit')
    .option('--contact <personId>', 'the staff member handling an external request (the approval names them)')
    .option('--requester-name <name>', 'the requester’s name')
    .option('--request-id <id>', 'id of the request (default: a fresh RR-… id, printed)')
    .requiredOption('--key <key>', 'signing key (officer, supervisor, head, archivist, inspector or system)')
    .action(act('request retrieval', (ctx, o: RequestRetrievalOptions) => requestRetrieval(ctx, o)));
  request
    .command('purge')
    .description(
      'the archivist’s purge request (ret/purge.request) for the files of a case, of records or of entries',
    )
    .option('--case <caseId>', 'the case (without --record: every file of it)')
    .option('--record <id>', 'a document, segment or data record (repeatable; its case is inferred)', collect)
    .option('--seq <n>', 'an entry committing a file (repeatable; see retention schedule)', collect)
    .option('--expired', 'only files whose retention has expired now (purgeable in retention schedule)')
    .requiredOption('--reason <text>', 'why (e.g. 保存期满)')
    .option('--request-id <id>', 'id of the request (default: a fresh PR-… id, printed)')
    .requiredOption('--key <key>', 'the archivist’s key')
    .action(act('request purge', (ctx, o: RequestPurgeOptions) => requestPurge(ctx, o)));
  const approve = program
    .command('approve')
    .description('approvals of retrievals (supervisor or head, Art. 24) and purges (head, Art. 27)');
  approve
    .command('retrieval')
    .description(
      'approve (or --reject) a retrieval (enf/approval.retrieval); retrieve --approval then uses it',
    )
    .option(
      '--request <requestId>',
      'the retrieval request approved (gives requester, case, records, purpose)',
    )
    .option('--requester <personId>', 'without --request: who may retrieve')
    .option('--case <caseId>', 'without --request: the case whose records may be retrieved')
    .option('--purpose <text>', 'purpose (default: the request’s)')
    .option(
      '--slip-no <no>',
      'retrieval slip number 调用单编号 (default: the request id, else the approval id)',
    )
    .option('--valid-from <time>', 'start of validity (default: now)')
    .option('--valid-until <time>', 'end of validity (default: the access policy’s window, 7 days)')
    .option('--max-uses <n>', 'retrievals allowed (default: the access policy’s, 1)')
    .option('--reject', 'record a rejection instead of an approval')
    .option('--opinion <text>', 'the approver’s opinion')
    .option('--approval-id <id>', 'id of the approval (default: a fresh RA-… id, printed)')
    .requiredOption('--key <key>', 'the approver’s key (supervisor or head; the head for labelled records)')
    .action(act('approve retrieval', (ctx, o: ApproveRetrievalOptions) => approveRetrieval(ctx, o)));
  approve
    .command('purge')
    .description(
      'the head’s decision on a purge request (enf/approval.purge); retention purge then carries it out',
    )
    .requiredOption('--request <requestId>', 'the archivist’s purge request')
    .requiredOption('--reason <text>', 'the reason of the decision')
    .option('--reject', 'record a rejection instead of an approval')
    .option('--opinion <text>', 'the head’s opinion')
    .option('--approval-id <id>', 'id of the approval (default: a fresh PA-… id, printed)')
    .requiredOption('--key <key>', 'the head’s key (role head)')
    .action(act('approve purge', (ctx, o: ApprovePurgeOptions) => approvePurge(ctx, o)));
  program
    .command('excerpt <record>')
    .description(
      'retrieve one 1 MiB chunk of a record’s file with its proof (under an approval, logged), as an excerpt file',
    )
    .requiredOption('--chunk <i>', 'chunk number (0: the first MiB)')
    .requiredOption('--out <file>', 'the excerpt file to write (never overwritten)')
    .option('--digest <hex>', 'which of the record’s files (default: its first)')
    .addOption(retrievalOptions.requester())
    .addOption(retrievalOptions.approval())
    .addOption(retrievalOptions.purpose())
    .addOption(retrievalOptions.key())
    .action(act('excerpt', (ctx, record: string, o: ExcerptOptions) => excerpt(ctx, record, o)));
  program
    .command('verify-excerpt <file>')
    .description(
      'check an excerpt file against this ledger: the record, its signature and inclusion, the chunk’s proof',
    )
    .option(
      '--checkpoint <file>',
      'prove the record’s inclusion against this checkpoint (default: the newest in the log)',
    )
    .action(
      act('verify-excerpt', (ctx, file: string, o: { checkpoint?: string }) => verifyExcerpt(ctx, file, o)),
    );
  program
    .command('declare-kinds')
    .description('declare the retention and access kinds in a folder made before they existed (idempotent)')
    .option('--admin <key>', 'signing admin key', 'root')
    .action(act('declare-kinds', (ctx, o: { admin: string }) => declareKinds(ctx, o)));

  program
    .command('compliance')
    .description(
      'run the Jincheng rule set over a case or the whole ledger; --html writes the inspector’s report',
    )
    .option('--case <caseId>', 'one case (default: every case)')
    .option('--as-of <time>', 'evaluate deadlines as of this time')
    .option('--html <file>', 'write the inspector’s HTML report')
    .action(
      act('compliance', (ctx, o: { case?: string; asOf?: string; html?: string }) => compliance(ctx, o)),
    );

  program
    .command('serve <target>')
    .description(
      'the HTTP API (docs/SERVE.md) over a ledger folder or a postgres:// URL; SIGTERM stops it gracefully',
    )
    .requiredOption('--config <file>', 'the server configuration: key store and principals (docs/SERVE.md)')
    .option('--port <n>', 'TCP port (0: any free port)', '8080')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option(
      '--checkpoint-every <duration>',
      'sign a checkpoint this often when the log grew (500ms, 30s, 5m, 1h); needs checkpointKey',
    )
    .action(act('serve', (ctx, target: string, o: ServeOptions) => serveCmd(ctx, target, o, VERSION)));

  program
    .command('self-check')
    .description(
      'Art. 28 periodic self-check: verify the log, check every case and the agency, record the result as an entry',
    )
    .requiredOption('--from <time>', 'start of the period checked')
    .requiredOption('--to <time>', 'end of the period checked (not after now)')
    .requiredOption('--key <key>', 'signing key: a supervisor, the records person (archivist) or the head')
    .option('--checked-by <personId>', 'who checked (repeatable; default: the key’s person)', collect)
    .option('--agency <agencyId>', 'the agency checked (default: the ledger’s only agency)')
    .option('--scope <text>', 'what was checked (repeatable; default: 全过程记录制度, 设备设施管理)', collect)
    .option('--summary <text>', 'what the check found, in words')
    .option('--corrections <text>', 'corrections made or ordered (发现问题应当及时纠正)')
    .option('--self-check-id <id>', 'id of the self-check (default: a fresh SC-… id, printed)')
    .option('--reports <dir>', 'write the verification and compliance reports whose digests are recorded')
    .action(act('self-check', (ctx, o: SelfCheckOptions) => selfCheck(ctx, o)));

  program
    .command('demo [folder]')
    .description(
      'build the example penalty case in a folder (default ./demo-ledger), checkpoint, verify, check',
    )
    .option('--defect <name>', 'inject a defect of the example (repeatable), e.g. unexcused_gap', collect)
    .addOption(
      new Option(
        '--suite <suite>',
        'crypto suite: ed25519-sha256 (default) or sm2-sm3 (国密 SM2/SM3)',
      ).choices([...SUITE_IDS]),
    )
    .action(
      act(
        'demo',
        (ctx, _folder: string | undefined, o: { defect?: string[]; suite?: string }) => demo(ctx, o),
        (args) =>
          (args[0] as string | undefined) ?? ((program.opts() as Globals).dir ? undefined : 'demo-ledger'),
      ),
    );

  return program;
}

/** Runs the command line; resolves to the exit code. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  setHintCommand(io.env);
  const state: { ctx?: Ctx; command: string } = { command: '' };
  let outcome: Outcome | undefined;
  const program = buildProgram(
    io,
    (o) => {
      outcome = o;
    },
    state,
  );
  try {
    await program.parseAsync([...argv], { from: 'user' });
    if (!outcome) return EXIT.ok;
    emit(state.ctx!, outcome);
    return outcome.exit;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return EXIT.ok;
      const message =
        err.code === 'commander.help'
          ? 'a subcommand is required (see --help)'
          : err.message.replace(/^error:\s*/, '');
      return fail(io, state, argv, { code: 'USAGE', message, exit: EXIT.usage });
    }
    return fail(io, state, argv, classify(err), err);
  } finally {
    await closeIndexStores();
  }
}

function fail(
  io: Io,
  state: { ctx?: Ctx; command: string },
  argv: readonly string[],
  c: ReturnType<typeof classify>,
  err?: unknown,
): number {
  // The language of the line: the command's, else --lang as given (an error may come before the options parse), else
  // LANG. The code stays first and in Latin letters, so scripts can match it; --json keeps the library's message.
  const i = argv.findIndex((a) => a === '--lang' || a.startsWith('--lang='));
  const given = i < 0 ? undefined : argv[i] === '--lang' ? argv[i + 1] : argv[i]!.slice('--lang='.length);
  const lang: Lang = state.ctx?.lang ?? (given === 'zh' || given === 'en' ? given : localeLang(io.env));
  io.stderr.write(`error ${c.code}: ${errorText(c, lang, err)}\n`);
  if (state.ctx?.json ?? argv.includes('--json'))
    io.stdout.write(
      `${JSON.stringify({ format: CLI_JSON_FORMAT, command: state.command, error: { code: c.code, message: c.message, exit: c.exit, ...(c.eventSeq === undefined ? {} : { eventSeq: c.eventSeq }), ...(c.problems ? { problems: c.problems } : {}), ...(c.issues ? { issues: c.issues } : {}) } })}\n`,
    );
  return c.exit;
}
