/** `checkpoint`: signs a C2SP checkpoint of the log (root key, or `--key`), records it in the log, prints the note. */
import { writeFile } from 'node:fs/promises';
import { toHex } from '../../bytes';
import type { Ctx, Outcome } from '../context';
import { withFolder } from '../folder';
import type { OutputOf } from '../schemas';

export async function checkpoint(ctx: Ctx, opts: { key: string; out?: string }): Promise<Outcome> {
  return withFolder(
    ctx,
    async (f) => {
      const note = await f.records.ledger.checkpoint();
      const cp = f.records.ledger.verifyOwnCheckpoint(note);
      if (opts.out !== undefined) await writeFile(opts.out, note, { flag: 'w' });
      const data: Omit<OutputOf<'checkpoint'>, 'format' | 'command'> = {
        origin: cp.origin,
        size: cp.size,
        root: toHex(cp.rootHash),
        note,
        file: opts.out ?? null,
      };
      return {
        command: 'checkpoint',
        exit: 0,
        data,
        human: (l) =>
          opts.out === undefined
            ? note
            : l === 'zh'
              ? `检查点（${cp.size} 条记录）已写入 ${opts.out}`
              : `Checkpoint at size ${cp.size} written to ${opts.out}`,
      };
    },
    { checkpointKey: opts.key },
  );
}
