/**
 * Builds the golden ledger of docs/FORMAT.md: fixed keys, fixed clock, a few entries and a checkpoint. The test
 * compares what the current code writes with the committed ledger-v1.json; regenerate ONLY for a deliberate format
 * change (and bump FORMAT_VERSION): `npx tsx test/vectors/golden/build.ts > test/vectors/golden/ledger-v1.json`.
 */
import { createHash } from 'node:crypto';
import { MemoryLevel } from 'memory-level';
import { toHex } from '../../../src/bytes';
import { createSigner } from '../../../src/crypto/signer';
import { Ledger } from '../../../src/ledger';
import type { KindDefinition } from '../../../src/ledger/types';

export const GOLDEN_KIND: KindDefinition = { kind: 'test/golden', roles: ['officer'] };

export async function buildGolden() {
  const seed = (label: string) => new Uint8Array(createHash('sha256').update(label).digest());
  const root = createSigner(seed('golden root key'));
  const officer = createSigner(seed('golden officer key'));
  let t = Date.UTC(2026, 0, 5, 1, 2, 3); // 2026-01-05T01:02:03Z
  const ledger = await Ledger.create(new MemoryLevel(), {
    origin: 'golden.example/ledger',
    signer: root,
    kinds: [GOLDEN_KIND],
    clock: () => (t += 1000),
  });
  await ledger.registerKey(
    { publicKey: officer.publicKey, principal: 'officer-0001', roles: ['officer'] },
    root,
  );
  await ledger.append({ kind: 'test/golden', body: { n: 1, text: '现场笔录', big: 2 ** 40 } }, officer);
  await ledger.append(
    {
      kind: 'test/golden',
      body: { n: 2, bytes: new Uint8Array([0, 1, 2, 255]) },
      content: [
        { digest: new Uint8Array(32).fill(0xab), size: 1048577, chunkRoot: new Uint8Array(32).fill(0xcd) },
      ],
    },
    officer,
  );
  const checkpoint = await ledger.checkpoint();
  const entries = [];
  for await (const e of ledger.entries())
    entries.push({ seq: e.seq, kind: e.kind, signed: toHex(e.bytes), leafHash: toHex(e.leafHash) });
  const roots = [];
  for (let n = 1; n <= ledger.size; n++) roots.push(toHex(await ledger.root(n)));
  const out = {
    note: 'Golden vectors of entry format v1 (docs/FORMAT.md). Keys: Ed25519 seeds SHA-256("golden root key") and SHA-256("golden officer key").',
    rootPublicKey: toHex(root.publicKey),
    officerPublicKey: toHex(officer.publicKey),
    ledgerId: toHex(ledger.ledgerId),
    entries,
    roots,
    checkpoint,
  };
  await ledger.close();
  return out;
}

if (process.argv[1]?.endsWith('build.ts'))
  buildGolden().then((g) => process.stdout.write(`${JSON.stringify(g, null, 2)}\n`));
