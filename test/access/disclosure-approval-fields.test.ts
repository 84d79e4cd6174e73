/**
 * A disclosure approval (enf/approval.disclosure) can itself bound what it allows: its own validity window
 * (validFrom, validUntil), number of uses (maxUses) and the records it covers (documentIds, segmentIds, dataIds).
 * Written through the real API (no test reader): the schema stores them, references are checked, and `disclose`
 * honours them.
 */
import { describe, expect, it } from 'vitest';
import { Access } from '../../src/access';
import { KIND } from '../../src/domain/kind-names';
import { PolicyError, ValidationError } from '../../src/errors';
import { type World, entriesOfKind, people, useWorld } from '../retention/helpers';

let w: World;
let acc: Access;
let docIds: string[];
const HOUR = 3_600_000;
const COURT = '某区人民法院';
let n = 0;

useWorld('el-daf-', async (world) => {
  w = world;
  acc = new Access(w.ledger, w.store, { clock: w.clock });
  docIds = (await entriesOfKind(w.ledger, KIND.document)).map((e) => e.body.documentId);
});

function approve(extra: Record<string, unknown>) {
  const approvalId = `DAF-${++n}`;
  return w.er
    .approve(
      'disclosure',
      {
        approvalId,
        decision: 'approved',
        decidedAt: w.now,
        caseId: w.caseId,
        recipient: COURT,
        purpose: '行政诉讼举证',
        ...extra,
      },
      people.head,
    )
    .then(() => approvalId);
}

const disclose = (approvalId: string, c: Record<string, unknown> = {}) =>
  acc.disclose({ caseId: w.caseId, approvalId, recipient: COURT, ...c }, people.archivist);

async function refused(p: Promise<unknown>, code: string) {
  const err = await p.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(PolicyError);
  expect((err as PolicyError).code).toBe(code);
}

describe('disclosure approval fields', () => {
  it('maxUses and a record list: listed records granted up to the count, others out of scope', async () => {
    const id = await approve({ maxUses: 2, documentIds: [docIds[0]!, docIds[1]!] });
    await disclose(id, { documentIds: [docIds[0]!] });
    await refused(disclose(id, { documentIds: [docIds[2]!] }), 'DISCLOSURE_OUT_OF_SCOPE');
    await disclose(id, { documentIds: [docIds[1]!, docIds[0]!] });
    await refused(disclose(id, { documentIds: [docIds[0]!] }), 'DISCLOSURE_USED_UP');
  });

  it('its own window: refused before validFrom and from validUntil on, granted within', async () => {
    const t0 = w.now;
    const id = await approve({ validFrom: t0 + HOUR, validUntil: t0 + 2 * HOUR, maxUses: 5 });
    await refused(disclose(id), 'DISCLOSURE_NOT_YET_VALID');
    w.now = t0 + HOUR;
    await disclose(id);
    w.now = t0 + 2 * HOUR - 1;
    await disclose(id);
    w.now = t0 + 2 * HOUR;
    await refused(disclose(id), 'DISCLOSURE_APPROVAL_EXPIRED');
  });

  it('the schema refuses a window that ends before it starts, and record lists naming unknown records', async () => {
    const size = w.ledger.size;
    for (const [extra, code] of [
      [{ validFrom: w.now + HOUR, validUntil: w.now }, 'end_before_start'],
      [{ validUntil: w.now - 1 }, 'end_before_start'],
      [{ documentIds: ['NO-SUCH-DOC'] }, 'dangling_reference'],
      [{ maxUses: 0 }, 'too_small'],
    ] as const) {
      const err = await approve(extra).catch((e: unknown) => e);
      expect(err, JSON.stringify(extra)).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).issues.map((i) => i.code)).toContain(code);
    }
    expect(w.ledger.size).toBe(size);
  });
});
