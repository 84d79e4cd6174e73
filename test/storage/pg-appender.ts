/**
 * Child process for pg-concurrency.test.ts: opens the PostgreSQL ledger at argv[2] and appends argv[4] notes numbered
 * from argv[3]·1,000,000, eight at a time, printing `ack <seq> <n>` for each acknowledged one (after COMMIT), then
 * `done`. The test kills one of these with SIGKILL mid-load.
 */
import { Ledger } from '../../src/ledger';
import { noteBody, noteKind, testSigner } from '../ledger/helpers';

const [url, worker, count] = [process.argv[2]!, Number(process.argv[3]), Number(process.argv[4])];
const officer = testSigner(1);

async function main() {
  const ledger = await Ledger.open(url, { kinds: [noteKind] });
  process.stdout.write('ready\n');
  const base = worker * 1_000_000;
  for (let i = 0; i < count; i += 8) {
    const jobs = [];
    for (let j = i; j < Math.min(count, i + 8); j++) {
      const n = base + j;
      jobs.push(
        ledger
          .append({ kind: 'test/note', body: noteBody(n, `w${worker}`) }, officer)
          .then((r) => process.stdout.write(`ack ${r.seq} ${n}\n`)),
      );
    }
    await Promise.all(jobs);
  }
  await ledger.close();
  process.stdout.write('done\n');
}
main().catch((err) => {
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.exit(1);
});
