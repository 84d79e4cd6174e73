/**
 * The one kind of the ledgers bench/verify.ts builds and caches under .tmp/bench/verify-<n> (records indexed by case),
 * declared again by every bench that opens or verifies them (profile-verify.ts, verify-threads.ts). Plain data with a
 * type-only import, so verify-threads.ts can use it beside the modules it loads from another checkout.
 */
import type { KindDefinition } from '../src/ledger/types';

export const VERIFY_BENCH_KIND: KindDefinition = {
  kind: 'bench/record',
  roles: ['officer'],
  indexes: (e) => [{ index: 'case', key: String((e.body as { caseId: string }).caseId) }],
};
