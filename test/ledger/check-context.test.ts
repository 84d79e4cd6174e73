/**
 * What a check hook is handed is its own: `lookup` gives a fresh list the hook may keep or change (KindCheckContext).
 * The ledger caches its reads of the committed log between group commits; a hook that changed a cached list would
 * change what every later check reads — here, let a taken id in again. Both passes of a group commit (the warm-up that
 * issues the batch's reads together, and the checks in order) must hand out copies.
 */
import { MemoryLevel } from 'memory-level';
import { describe, expect, it } from 'vitest';
import { Ledger } from '../../src/ledger';
import type { KindDefinition } from '../../src/ledger/types';
import { THING_INDEX, noteKind, stepClock, testSigner, thingKind } from './helpers';

const root = testSigner(0);
const officer = testSigner(1);

/** Reads the index of things and empties the list it was given (a careless third-party hook). */
const meddler: KindDefinition = {
  kind: 'test/meddler',
  roles: ['officer'],
  validate: noteKind.validate,
  async check(_entry, ctx) {
    const seqs = await ctx.lookup(THING_INDEX, 'T-1');
    seqs.length = 0;
    return [];
  },
};
const meddle = (n: number) => ({ kind: 'test/meddler', body: { topic: `m${n}`, text: 'x' } });

async function ledgerWithThing(): Promise<Ledger> {
  const db = new MemoryLevel<Uint8Array, Uint8Array>({ keyEncoding: 'view', valueEncoding: 'view' });
  const ledger = await Ledger.create(db, {
    origin: 'test.example/check-context',
    signer: root,
    kinds: [{ ...thingKind(false), validate: () => [] }, meddler],
    clock: stepClock(),
  });
  await ledger.registerKey(
    { publicKey: officer.publicKey, principal: 'officer-1', roles: ['officer'] },
    root,
  );
  await ledger.append({ kind: 'test/thing', body: { id: 'T-1' } }, officer);
  return ledger;
}

describe('a check hook changing the list lookup gave it', () => {
  it('does not change what later checks read: a taken id stays taken (warm-up pass: several checked entries)', async () => {
    const ledger = await ledgerWithThing();
    try {
      // Two checked entries in one group commit: the warm-up pass runs their checks once to issue the reads.
      await ledger.appendBatch([meddle(1), meddle(2)], officer);
      const dup = await ledger.append({ kind: 'test/thing', body: { id: 'T-1' } }, officer).catch((e) => e);
      expect(dup).toBeInstanceOf(Error);
      expect((dup as { issues?: Array<{ code: string }> }).issues?.map((i) => i.code)).toEqual([
        'duplicate_id',
      ]);
    } finally {
      await ledger.close();
    }
  });

  it('does not change what later checks read (one checked entry at a time)', async () => {
    const ledger = await ledgerWithThing();
    try {
      await ledger.append(meddle(1), officer);
      await ledger.append(meddle(2), officer);
      const dup = await ledger.append({ kind: 'test/thing', body: { id: 'T-1' } }, officer).catch((e) => e);
      expect((dup as { issues?: Array<{ code: string }> }).issues?.map((i) => i.code)).toEqual([
        'duplicate_id',
      ]);
    } finally {
      await ledger.close();
    }
  });
});
