/** Child process for crash.test.ts: appends forever, printing each acknowledged (durable) seq. */
import { Ledger } from '../../src/ledger';
import { noteBody, noteKind, testSigner } from './helpers';

const dir = process.argv[2]!;
const root = testSigner(0);
const officer = testSigner(1);

async function main() {
  let ledger: Ledger;
  try {
    ledger = await Ledger.open(dir, { kinds: [noteKind] });
  } catch (err) {
    if ((err as { code?: string }).code !== 'STORAGE_NOT_FOUND') throw err;
    ledger = await Ledger.create(dir, { origin: 'test.example/crash', signer: root, kinds: [noteKind] });
    await ledger.registerKey(
      { publicKey: officer.publicKey, principal: 'officer-1', roles: ['officer'] },
      root,
    );
  }
  process.stdout.write('ready\n');
  let n = ledger.size;
  for (;;) {
    const jobs = [];
    for (let j = 0; j < 8; j++) {
      const i = n++;
      jobs.push(
        ledger
          .append({ kind: 'test/note', body: noteBody(i) }, officer)
          .then((r) => process.stdout.write(`ack ${r.seq} ${i}\n`)),
      );
    }
    await Promise.all(jobs);
  }
}
main().catch((err) => {
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.exit(1);
});
