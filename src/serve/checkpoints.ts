/**
 * Periodic checkpoints (`serve --checkpoint-every <duration>`): on a schedule the server signs a checkpoint with its
 * checkpoint key, so that witnesses and tile readers see new entries without anyone calling POST /v1/checkpoints.
 * Each tick calls `Ledger.checkpointIfGrown`, which decides under the append lock, after catching up with other
 * writers, whether the log's last entry is already a checkpoint: an idle log gets no new checkpoint (a checkpoint is
 * itself an entry, so signing regardless would grow the log by one entry per tick), and N servers on one PostgreSQL
 * ledger record one checkpoint per new size between them. Ticks never overlap; a failed tick is logged and the next
 * one tries again.
 */
import type { Served } from './open';

/** Shortest interval accepted (a checkpoint is a signed, committed entry). */
export const MIN_CHECKPOINT_EVERY_MS = 10;

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A duration `<n>ms|s|m|h` (`500ms`, `30s`, `5m`, `1h`) in milliseconds, or undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  const m = /^([1-9][0-9]{0,8})(ms|s|m|h)$/.exec(text);
  if (!m) return undefined;
  const ms = Number(m[1]) * UNITS[m[2]!]!;
  return Number.isSafeInteger(ms) ? ms : undefined;
}

export interface Checkpointer {
  /** Stops the schedule; resolves once a tick in flight has finished. */
  stop(): Promise<void>;
}

/** Starts signing a checkpoint every `everyMs` when the log grew. `log` receives failures. */
export function startCheckpointing(
  served: Served,
  everyMs: number,
  log: (line: string) => void,
): Checkpointer {
  if (!Number.isSafeInteger(everyMs) || everyMs < MIN_CHECKPOINT_EVERY_MS)
    throw new RangeError(`the checkpoint interval must be at least ${MIN_CHECKPOINT_EVERY_MS} ms`);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let tick: Promise<void> | undefined;
  const schedule = () => {
    timer = setTimeout(() => {
      tick = (async () => {
        try {
          await served.ledger.checkpointIfGrown();
        } catch (err) {
          log(`serve: periodic checkpoint failed: ${(err as Error)?.message ?? String(err)}`);
        }
      })().finally(() => {
        tick = undefined;
        if (!stopped) schedule();
      });
    }, everyMs);
    timer.unref();
  };
  schedule();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await tick;
    },
  };
}
