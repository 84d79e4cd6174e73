/**
 * `append [file|-]`: one JSON record `{ "kind", "body", "content"? }` or an array of them (appended atomically),
 * signed by `--key`. Byte strings are `{"$bytes": "<hex>"}` (docs/CLI.md). `--attach <file>` stores files in the
 * content store and commits them to the (single) record by digest.
 */
import { stat } from 'node:fs/promises';
import type { AppendInput, CborValue, ContentRef } from '../../ledger/types';
import { type Issue, ValidationError } from '../../errors';
import type { Ctx, Outcome } from '../context';
import { fromJsonValue, parseJson } from '../../encoding/json';
import { readTimes } from '../json-times';
import { loadSigner, openStore, withFolder } from '../folder';
import type { OutputOf } from '../schemas';
import { appendedSince, entryLines } from './appended';
import { placeholderRef } from './ingest';
import { type InputEncoding, readInput } from './input';
import { isObj } from '../../guards';

type Obj = Record<string, unknown>;

/** Validates the shape of the JSON records and converts them; every problem listed with its path. */
export function recordsFromJson(json: unknown): AppendInput[] {
  const list = Array.isArray(json) ? json : [json];
  const issues: Issue[] = [];
  const out: AppendInput[] = [];
  if (list.length === 0) issues.push({ code: 'too_small', path: [], message: 'no record given' });
  list.forEach((r, i) => {
    const at = Array.isArray(json) ? [i] : [];
    if (!isObj(r)) {
      issues.push({
        code: 'invalid_type',
        path: at,
        message: 'a record is an object { kind, body, content? }',
      });
      return;
    }
    for (const k of Object.keys(r))
      if (!['kind', 'body', 'content'].includes(k))
        issues.push({ code: 'unrecognized_key', path: [...at, k], message: `unknown field ${k}` });
    if (typeof r.kind !== 'string' || r.kind === '')
      issues.push({ code: 'invalid_type', path: [...at, 'kind'], message: 'kind must be a kind name' });
    if (!isObj(r.body))
      issues.push({ code: 'invalid_type', path: [...at, 'body'], message: 'body must be an object' });
    if (r.content !== undefined && !Array.isArray(r.content))
      issues.push({ code: 'invalid_type', path: [...at, 'content'], message: 'content must be an array' });
    let body: CborValue = null;
    let content: CborValue = [];
    try {
      body = fromJsonValue(
        typeof r.kind === 'string' ? readTimes(r.kind, r.body, [...at, 'body'], issues) : r.body,
        [...at, 'body'],
      );
      content = fromJsonValue(r.content ?? [], [...at, 'content']);
    } catch (err) {
      if (err instanceof ValidationError) issues.push(...err.issues);
      else throw err;
    }
    const kind = String(r.kind);
    // Enforcement, retention and access bodies are versioned; `v` may be left out (the current version, 1, is filled in).
    if (/^(enf|ret|acc)\//.test(kind) && isObj(body) && body.v === undefined)
      body = { v: 1, ...(body as Obj) } as CborValue;
    out.push({ kind, body, content: content as unknown as ContentRef[] });
  });
  if (issues.length) throw new ValidationError(issues);
  return out;
}

export async function append(
  ctx: Ctx,
  file: string,
  opts: { key: string; attach?: readonly string[]; encoding?: InputEncoding },
): Promise<Outcome> {
  const text = await readInput(file, ctx.io.stdin, opts.encoding);
  let inputs = recordsFromJson(parseJson(text, file === '-' ? 'stdin' : file));
  const signer = await loadSigner(ctx.dir, opts.key);
  const attach = opts.attach ?? [];
  if (attach.length && inputs.length !== 1)
    throw new ValidationError([
      { code: 'attach_one', path: [], message: '--attach needs exactly one record' },
    ]);
  return withFolder(ctx, async (f) => {
    const ledger = f.records.ledger;
    if (attach.length) {
      // Checked before the files are stored: a refused record leaves no file that nothing references.
      const sizes = await Promise.all(attach.map(async (a) => (await stat(a)).size));
      const first = inputs[0]!;
      await ledger.check(
        [{ ...first, content: [...(first.content ?? []), ...sizes.map(placeholderRef)] }],
        signer,
      );
      const store = await openStore(ctx.dir);
      const refs: ContentRef[] = [];
      for (const a of attach) refs.push(await store.put(a));
      inputs = [{ ...first, content: [...(first.content ?? []), ...refs] }];
    }
    const from = ledger.size;
    if (inputs.length === 1) await ledger.append(inputs[0]!, signer);
    else await ledger.appendBatch(inputs, signer);
    const entries = await appendedSince(f.records.ledger, from);
    const data: Omit<OutputOf<'append'>, 'format' | 'command'> = { entries };
    return {
      command: 'append',
      exit: 0,
      data,
      human: (l) =>
        (l === 'zh' ? `已追加 ${entries.length} 条记录\n` : `Appended ${entries.length} record(s)\n`) +
        entryLines(entries),
    };
  });
}
