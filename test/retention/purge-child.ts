/** Child process for crash.test.ts: records a purge, prints its seq, then hangs before deleting (to be SIGKILLed). */
import { join } from 'node:path';
import { archiveKinds } from '../../src/access';
import { FsContentStore } from '../../src/content';
import { Ledger } from '../../src/ledger';
import { Retention } from '../../src/retention';
import { people } from './helpers';

const [dir, now, purgeId, requestId, approvalId] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
];

async function main() {
  const clock = () => Number(now);
  const ledger = await Ledger.open(join(dir, 'ledger'), { kinds: archiveKinds(), clock });
  const store = await FsContentStore.open(join(dir, 'content'));
  const ret = new Retention(ledger, store, { clock });
  await ret.purge({ purgeId, requestId, approvalId }, people.archivist, {
    afterRecord: async (seq) => {
      process.stdout.write(`recorded ${seq}\n`);
      await new Promise(() => {}); // hang here: the deletion never starts
    },
  });
}
main().catch((err) => {
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.exit(1);
});
