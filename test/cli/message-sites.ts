/**
 * The error messages of src/, read with the TypeScript compiler for test/cli/error-catalogue.test.ts:
 * - every `new <Family>Error(…)`, `new CliError(…)` and `new TypeError/RangeError(…)` (an argument the library refuses,
 *   a USAGE line) (MESSAGE_ARG), its message argument as a template: a string
 *   literal as written, a template literal with each `${…}` turned into a numbered placeholder `{0}`, `{1}`, …, both
 *   branches of a `c ? a : b`;
 * - a helper that builds the error from its parameter (`function bad(message) { return new CryptoError(…, message) }`):
 *   the message argument of every call of the helper in its file;
 * - the reasons of policy refusals (POLICY_REASON_FILES): `add('CODE', message)` calls and `{ code: 'CODE', message }`
 *   objects, which become a PolicyError's message and its `problems`.
 * A message that is none of these (an identifier, a call) is a site with `templates: []`, for the test's allowlist.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

/** Which argument of each constructor is the message (0-based). */
export const MESSAGE_ARG: Readonly<Record<string, number>> = {
  EncodingError: 1,
  CryptoError: 1,
  StorageError: 1,
  PolicyError: 1,
  WorkerError: 1,
  ValidationError: 1,
  CliError: 1,
  DerError: 0,
  // An argument the library refuses: the command line prints it as a USAGE error.
  TypeError: 0,
  RangeError: 0,
};

/** Files whose `add('CODE', message)` calls and `{ code: 'CODE', message }` objects are reasons of a PolicyError. */
export const POLICY_REASON_FILES: readonly string[] = [
  'src/access/access.ts',
  'src/access/check.ts',
  'src/retention/purge-check.ts',
  'src/ledger/registry.ts',
];

export interface MessageSite {
  readonly file: string;
  readonly line: number;
  /** The constructor, `helper <name>` or `reason`. */
  readonly family: string;
  /** The message as catalogue templates (two for a conditional); empty when it is not a literal. */
  readonly templates: readonly string[];
  /** The argument's source text (for the allowlist). */
  readonly text: string;
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? files(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
  );
}

/** A literal message as templates; empty when it is not one. */
export function templatesOf(node: ts.Expression): string[] {
  if (ts.isParenthesizedExpression(node)) return templatesOf(node.expression);
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [node.text];
  if (ts.isTemplateExpression(node)) {
    let out = node.head.text;
    node.templateSpans.forEach((span, i) => {
      out += `{${i}}${span.literal.text}`;
    });
    return [out];
  }
  if (ts.isConditionalExpression(node)) {
    const a = templatesOf(node.whenTrue);
    const b = templatesOf(node.whenFalse);
    return a.length && b.length ? [...a, ...b] : [];
  }
  return [];
}

const CODE = /^[A-Z][A-Z0-9_]+$/;

/** The parameters of the function around `node`, and its name, when it is a named function or a `const f = (…) =>`. */
function enclosingFunction(node: ts.Node): { name: string; params: string[] } | undefined {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (ts.isFunctionDeclaration(n) && n.name)
      return { name: n.name.text, params: n.parameters.map((p) => p.name.getText()) };
    if ((ts.isArrowFunction(n) || ts.isFunctionExpression(n)) && ts.isVariableDeclaration(n.parent))
      return { name: n.parent.name.getText(), params: n.parameters.map((p) => p.name.getText()) };
    if (ts.isFunctionLike(n)) return undefined;
  }
  return undefined;
}

export function messageSites(root: string): MessageSite[] {
  const out: MessageSite[] = [];
  for (const path of files(join(root, 'src'))) {
    const file = relative(root, path);
    const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
    const lineOf = (n: ts.Node) => source.getLineAndCharacterOfPosition(n.getStart(source)).line + 1;
    const push = (n: ts.Node, family: string, arg: ts.Expression) =>
      out.push({ file, line: lineOf(n), family, templates: templatesOf(arg), text: arg.getText(source) });
    const helpers = new Map<string, Set<number>>();
    const reasons = POLICY_REASON_FILES.includes(file);
    const sites: Array<[ts.NewExpression, string, ts.Expression]> = [];
    const calls: ts.CallExpression[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isNewExpression(node) && ts.isIdentifier(node.expression)) {
        const family = node.expression.text;
        const at = MESSAGE_ARG[family];
        // `new ValidationError(issues)` has no message: it is rendered from the issues' codes.
        const arg = at === undefined ? undefined : node.arguments?.[at];
        if (arg) {
          // A helper's parameter as the whole message (`bad(message)`) or a part of it (`bundle: ${message}`): the
          // helper's calls give the message, or the part.
          const fn = enclosingFunction(node);
          const parts = ts.isTemplateExpression(arg) ? arg.templateSpans.map((s) => s.expression) : [arg];
          for (const part of parts) {
            const param = fn && ts.isIdentifier(part) ? fn.params.indexOf(part.text) : -1;
            if (fn && param >= 0)
              helpers.set(
                fn.name,
                (helpers.get(fn.name) ?? new Set()).add(param * 2 + (part === arg ? 0 : 1)),
              );
          }
          if (!(fn && ts.isIdentifier(arg) && fn.params.includes(arg.text))) sites.push([node, family, arg]);
        }
      }
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression)) {
        calls.push(node);
        const [code, message] = node.arguments;
        if (reasons && node.expression.text === 'add' && code && message && ts.isStringLiteral(code))
          if (CODE.test(code.text)) push(node, 'reason', message);
      }
      if (reasons && ts.isObjectLiteralExpression(node)) {
        const prop = (name: string) =>
          node.properties.find(
            (p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && p.name.getText(source) === name,
          );
        const code = prop('code')?.initializer;
        const message = prop('message')?.initializer;
        if (code && message && ts.isStringLiteral(code) && CODE.test(code.text))
          push(node, 'reason', message);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
    for (const [node, family, arg] of sites) push(node, family, arg);
    for (const call of calls) {
      const name = (call.expression as ts.Identifier).text;
      for (const at of helpers.get(name) ?? []) {
        const arg = call.arguments[at >> 1];
        // A part that is not a literal (a path, a value) is the value the placeholder carries.
        if (arg && (at % 2 === 0 || templatesOf(arg).length)) push(call, `helper ${name}`, arg);
      }
    }
  }
  return out;
}

/**
 * The issue codes of ValidationErrors in src/: `issue('code', path, message)` calls and `{ code: 'code', path, … }`
 * objects (lower snake case), with where each is first made.
 */
export function issueCodes(root: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const path of files(join(root, 'src'))) {
    const file = relative(root, path);
    const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
    const add = (code: ts.Node | undefined, at: ts.Node) => {
      if (code && ts.isStringLiteral(code) && /^[a-z][a-z0-9_]*$/.test(code.text) && !out.has(code.text))
        out.set(code.text, `${file}:${source.getLineAndCharacterOfPosition(at.getStart(source)).line + 1}`);
    };
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'issue')
        add(node.arguments[0], node);
      if (ts.isObjectLiteralExpression(node)) {
        const props = new Map(
          node.properties.flatMap((p) =>
            ts.isPropertyAssignment(p) ? [[p.name.getText(source), p.initializer] as const] : [],
          ),
        );
        const hasPath = props.has('path') || node.properties.some((p) => p.name?.getText(source) === 'path');
        if (hasPath) add(props.get('code'), node);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return out;
}
