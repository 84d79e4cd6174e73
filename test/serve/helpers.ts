/**
 * A served penalty-case ledger for the server tests: the worked case (src/domain/example-penalty-case.ts) with its
 * files in the content store, its keys as PEM files in a key store, a config with four principals, and a new case id per append.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FsContentStore } from '../../src/content';
import { PostgresStore, isPostgresUrl } from '../../src/ledger/pg-store';
import { writePrivateKeyFile } from '../../src/crypto/keyfile';
import { nodeSuite } from '../../src/crypto/node';
import { toHex, utf8 } from '../../src/bytes';
import { EnforcementRecords } from '../../src/domain/records';
import type { Ledger } from '../../src/ledger';
import { INDEX } from '../../src/domain/spec';
import { field } from '../../src/guards';
import { expect } from 'vitest';
import { buildPenaltyCase, cst } from '../../src/domain';
import { type ServeConfigInput, loadServeConfig, tokenDigest } from '../../src/serve';

export const TOKENS = {
  wang: 'token-of-officer-wang-0123456789',
  admin: 'token-of-the-admin-0123456789abc',
  reader: 'token-of-a-reader-0123456789abcd',
  archivist: 'token-of-archivist-sun-012345678',
} as const;

/** The seed of the example key `label` (as exampleSigner derives it). */
const seedOf = (label: string) => nodeSuite.hash(utf8(`enforcement-ledger example key: ${label}`));

/**
 * Builds the penalty case (closed) at `ledgerAt` (default `<dir>/ledger`; a postgres:// URL for PostgreSQL),
 * `<dir>/keys/*.pem` and `<dir>/serve.json`; returns the config path.
 * `over` replaces config fields (e.g. a small maxBodyBytes).
 */
export async function servedFixture(
  dir: string,
  over: Partial<ServeConfigInput> = {},
  ledgerAt: string = join(dir, 'ledger'),
): Promise<string> {
  // The case's files go into the content store the config names (content/), so retrievals and excerpts find them;
  // on PostgreSQL with its index in the ledger's database, as `serve` opens it (the ledger exists by the first file).
  let index: PostgresStore | undefined;
  let opening: Promise<FsContentStore> | undefined;
  const contentStore = (): Promise<FsContentStore> => {
    opening ??= (async () => {
      if (isPostgresUrl(ledgerAt)) index = await PostgresStore.open(ledgerAt);
      return FsContentStore.open(join(dir, 'content'), index === undefined ? {} : { index });
    })();
    return opening;
  };
  try {
    await buildPenaltyCase(ledgerAt, {
      putContent: async (b) =>
        (await contentStore()).put(
          (async function* () {
            yield b;
          })(),
        ),
    });
  } finally {
    await index?.close();
  }
  const keys: Record<string, string> = {};
  mkdirSync(join(dir, 'keys'));
  for (const [name, label] of [
    ['root', 'root'],
    ['wang', 'P-wang'],
    ['sun', 'P-sun'],
  ] as const) {
    await writePrivateKeyFile(join(dir, 'keys', `${name}.pem`), seedOf(label));
    keys[name] = `keys/${name}.pem`;
  }
  const config: ServeConfigInput = {
    format: 'enforcement-ledger/serve@1',
    keys,
    checkpointKey: 'root',
    exporterKey: 'root',
    contentDir: 'content',
    principals: [
      { id: 'ecs-wang', tokenSha256: tokenDigest(TOKENS.wang), scopes: ['read', 'append'], keys: ['wang'] },
      { id: 'ecs-admin', tokenSha256: tokenDigest(TOKENS.admin), scopes: ['admin'], keys: ['root'] },
      { id: 'inspector', tokenSha256: tokenDigest(TOKENS.reader), scopes: ['read', 'verify'] },
      {
        id: 'archive-sun',
        tokenSha256: tokenDigest(TOKENS.archivist),
        scopes: ['read', 'retention', 'access', 'export'],
        keys: ['sun'],
      },
    ],
    ...over,
  };
  const path = join(dir, 'serve.json');
  writeFileSync(path, `${JSON.stringify(config, null, 2)}\n`);
  return path;
}

export const T0 = cst(2026, 5, 4, 9, 0);

/** A new case `caseId` of the example agency, opened by P-wang with P-li. */
export function caseBody(caseId: string) {
  return {
    caseId,
    agencyId: 'jc-wjw',
    matterType: 'inspection',
    documentNumber: `${caseId}号`,
    title: `检查 ${caseId}`,
    target: { name: '某某诊所', kind: 'organisation' },
    openedAt: T0,
    officers: ['P-wang', 'P-li'],
  };
}

export const auth = (token: string, json = true): Record<string, string> => ({
  authorization: `Bearer ${token}`,
  ...(json ? { 'content-type': 'application/json' } : {}),
});

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

/** Starts `serve` on a free port (with `extra` options); resolves with its URL once it listens. */
export function startServe(
  target: string,
  config: string,
  extra: readonly string[] = [],
): { proc: ChildProcess; url: Promise<string>; exit: Promise<number | null>; stderr: () => string } {
  const proc = spawn(
    process.execPath,
    [
      ...['--import', 'tsx', MAIN, 'serve', target, '--config', config],
      ...['--port', '0', '--host', '127.0.0.1', ...extra],
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let err = '';
  const url = new Promise<string>((resolve, reject) => {
    proc.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m) resolve(m[1]!);
    });
    proc.once('exit', () => reject(new Error(`serve exited before listening: ${err}`)));
  });
  proc.stdout!.resume();
  const exit = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return { proc, url, exit, stderr: () => err };
}

/** Every acknowledged append is in the log at its acknowledged seq, with the acknowledged leaf hash, exactly once. */
export async function expectEachAckOnce(
  er: EnforcementRecords,
  acks: ReadonlyMap<number, { readonly caseId: string; readonly leafHash: string }>,
): Promise<void> {
  for (const [seq, a] of acks) {
    const e = await er.ledger.get(seq);
    expect(toHex(e.leafHash)).toBe(a.leafHash);
    expect(field(e.body, 'caseId')).toBe(a.caseId);
    expect(await er.ledger.lookup(INDEX.id('case'), a.caseId)).toEqual([seq]); // exactly once
  }
}

/**
 * An in-process served ledger (no store, no content) and a config whose one principal `r` (token `t`) may read, with
 * public tiles: what the checkpoint, tiles and tlog-client tests serve.
 */
export async function publicReadServing(ledger: Ledger) {
  const config = await loadServeConfig(
    {
      format: 'enforcement-ledger/serve@1',
      publicTiles: true,
      principals: [{ id: 'r', tokenSha256: tokenDigest('t'), scopes: ['read'] }],
    },
    '.',
  );
  const served = {
    ledger,
    records: new EnforcementRecords(ledger),
    store: undefined,
    description: 'memory',
    refresh: async () => {},
    close: () => ledger.close(),
  };
  return { config, served };
}
