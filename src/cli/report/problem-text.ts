/** A problem code in words for the inspector's report: what it means and what to do, in both languages. */
import { PROBLEMS, isProblemCode } from '../../problems';
import type { Text } from '../lang';

export interface ProblemText {
  readonly code: string;
  readonly meaning: Text;
  readonly action?: Text;
}

/** From the one catalogue (src/problems.ts); a code it lacks is shown as itself. */
export function problemText(code: string): ProblemText {
  if (!isProblemCode(code)) return { code, meaning: { zh: code, en: code } };
  const p = PROBLEMS[code];
  return {
    code,
    meaning: { zh: p.zh, en: p.en },
    ...(p.action ? { action: { zh: p.action.zh, en: p.action.en } } : {}),
  };
}
