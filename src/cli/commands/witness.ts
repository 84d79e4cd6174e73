/**
 * `witness cosign <checkpoint>`: a witness (c2sp.org/tlog-witness) checks the ledger's checkpoint signature and its
 * consistency with the last checkpoint it cosigned (proof taken from the ledger folder), then cosigns
 * (c2sp.org/tlog-cosignature). Its state is a JSON file it keeps; with `--state postgres://…`, or by default when the
 * folder's ledger is in PostgreSQL, state rows in that database (StoreWitnessStore: several witness processes may
 * share it, and it never goes backwards). `--record` appends the cosignature to the log.
 * A fork, a truncation or a bad proof is a problem found: exit 1.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Witness } from '../../checkpoint/witness';
import type { WitnessStore } from '../../checkpoint/witness';
import { PostgresStore, isPostgresUrl } from '../../ledger/pg-store';
import { FileWitnessStore } from '../../witness/file-store';
import { StoreWitnessStore } from '../../witness/store-state';
import { PolicyError } from '../../errors';
import type { Ctx, Outcome } from '../context';
import { CliError, EXIT } from '../exit';
import type { Signer } from '../../crypto/types';
import { type OpenFolder, loadSigner, withFolder } from '../folder';
import type { OutputOf } from '../schemas';
import { readInput } from './input';
import { witnessVerifierKey } from './keys';

const PROBLEMS = new Set(['WITNESS_FORK', 'WITNESS_TRUNCATION', 'WITNESS_BAD_PROOF']);

export interface CosignOptions {
  readonly key: string;
  readonly name?: string;
  readonly state?: string;
  readonly record?: boolean;
  readonly admin: string;
  readonly out?: string;
}

export async function witnessCosign(ctx: Ctx, file: string, o: CosignOptions): Promise<Outcome> {
  const note = await readInput(file, ctx.io.stdin);
  const signer = await loadSigner(ctx.dir, o.key);
  const name = o.name ?? basename(o.key, '.pem');
  const witnessKey = witnessVerifierKey(name, signer.publicKey, signer.suite);
  const admin = o.record ? await loadSigner(ctx.dir, o.admin) : undefined;
  return withFolder(ctx, async (f) => {
    const ledger = f.records.ledger;
    // The state: a PostgreSQL URL's state rows; the PostgreSQL ledger's own, when --state is not given; else the
    // library's file store (atomic: temp, fsync, rename, directory fsync; serialised), one format for CLI and API.
    let own: PostgresStore | undefined;
    let store: WitnessStore;
    if (o.state !== undefined && isPostgresUrl(o.state)) {
      own = await PostgresStore.open(o.state, { createIfMissing: true, poolSize: 2 });
      store = new StoreWitnessStore(own, name);
    } else if (o.state === undefined && ledger.store.kind === 'postgres') {
      store = new StoreWitnessStore(ledger.store, name);
    } else {
      const statePath = o.state ?? join(ctx.dir, 'witness', `${name}.state.json`);
      await mkdir(dirname(statePath), { recursive: true });
      store = new FileWitnessStore(statePath);
    }
    try {
      return await cosign(ctx, f, o, note, store, { name, signer, witnessKey, admin });
    } finally {
      await own?.close();
    }
  });
}

async function cosign(
  ctx: Ctx,
  f: OpenFolder,
  o: CosignOptions,
  note: string,
  store: WitnessStore,
  w: { name: string; signer: Signer; witnessKey: string; admin: Signer | undefined },
): Promise<Outcome> {
  const { name, signer, witnessKey, admin } = w;
  const ledger = f.records.ledger;
  const cp = ledger.verifyOwnCheckpoint(note);
  const known = (await store.get(cp.origin))?.size ?? 0;
  const proof =
    known > 0 && known < cp.size && cp.size <= ledger.size
      ? await ledger.consistencyProof(known, cp.size)
      : [];
  const witness = new Witness({ name, signer, suite: ledger.suite, store });
  const logKey = {
    name: ledger.manifest.checkpointKey.name,
    publicKey: ledger.manifest.checkpointKey.publicKey,
  };
  let line: string;
  try {
    line = await witness.addCheckpoint(
      { oldSize: known, consistencyProof: proof, checkpointNote: note },
      [logKey],
      Math.floor(ctx.clock() / 1000),
    );
  } catch (err) {
    if (err instanceof PolicyError && PROBLEMS.has(err.code))
      throw new CliError(err.code, err.message, EXIT.problems);
    throw err;
  }
  let recorded: number | null = null;
  if (admin) {
    const r = await ledger.append(
      { kind: 'core/cosignature', body: { size: cp.size, witness: name, line } },
      admin,
    );
    recorded = r.seq;
  }
  if (o.out !== undefined) await writeFile(o.out, `${note}${line}`);
  const data: Omit<OutputOf<'witness cosign'>, 'format' | 'command'> = {
    origin: cp.origin,
    size: cp.size,
    oldSize: known,
    witness: name,
    witnessKey,
    line: line.trimEnd(),
    recorded,
    file: o.out ?? null,
  };
  return {
    command: 'witness cosign',
    exit: 0,
    data,
    human: (l) =>
      [
        l === 'zh'
          ? `见证方 ${name} 已联署检查点（${cp.size} 条记录，上次 ${known}）`
          : `Witness ${name} cosigned the checkpoint at size ${cp.size} (previous ${known})`,
        data.line,
        ...(recorded !== null
          ? [l === 'zh' ? `  已记入台账 #${recorded}` : `  recorded as entry #${recorded}`]
          : []),
        ...(data.file !== null ? [l === 'zh' ? `  已写入 ${data.file}` : `  written to ${data.file}`] : []),
        l === 'zh'
          ? `  见证方公钥（verify-bundle --witness）：${witnessKey}`
          : `  witness verifier key (verify-bundle --witness): ${witnessKey}`,
      ].join('\n'),
  };
}
