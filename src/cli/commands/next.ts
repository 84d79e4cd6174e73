/**
 * `next:` hints (issue 18, item 5): the command that usually follows, printed as a whole command line that runs as it
 * is pasted into a POSIX shell — `enforcement-ledger -d <folder>` first, every word quoted where the shell needs it,
 * the key named. The key is one of the folder's own (keys/*.pem) registered with a role the next step needs; when the
 * folder holds none (the approver signs elsewhere), the hint says so on its own line instead of guessing a name.
 */
import { readdir } from 'node:fs/promises';
import type { Ledger } from '../../ledger';
import { folderPaths, loadSigner } from '../folder';
import type { Lang } from '../lang';

/**
 * How a hint names the command line: `enforcement-ledger` as installed, or `npm run cli --` when this repository's own
 * npm scripts run it (`npm run demo`, `npm run cli -- …` in a clone), where no `enforcement-ledger` is on the PATH.
 * Set from the environment at the start of each run.
 */
let hintCommand = 'enforcement-ledger';
export function setHintCommand(env: NodeJS.ProcessEnv): void {
  const ownScript = env.npm_lifecycle_event === 'demo' || env.npm_lifecycle_event === 'cli';
  hintCommand =
    env.npm_package_name === 'enforcement-ledger' && ownScript ? 'npm run cli --' : 'enforcement-ledger';
}

/** A word as a POSIX shell reads it back unchanged: bare when safe, else in single quotes. */
export function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * The name of a key in the folder (keys/<name>.pem, names in order) registered in the ledger, not revoked, with one of
 * `roles`; undefined when there is none.
 */
export async function folderKeyWithRole(
  dir: string,
  ledger: Ledger,
  roles: readonly string[],
): Promise<string | undefined> {
  const names = (await readdir(folderPaths(dir).keys).catch(() => [] as string[]))
    .filter((n) => n.endsWith('.pem'))
    .sort();
  for (const n of names) {
    try {
      const signer = await loadSigner(dir, `${folderPaths(dir).keys}/${n}`);
      const k = ledger.keys.keys.get(signer.keyId);
      if (k && (k.revokedAt ?? null) === null && k.roles.some((r) => roles.includes(r)))
        return n.slice(0, -4);
    } catch {
      // Not a key file of a known suite: not a candidate.
    }
  }
  return undefined;
}

/** The placeholder for a key the folder does not hold. */
export const KEY_PLACEHOLDER = 'KEY';

/** What a role is called in the hint's note. */
const ROLE_WORDS: Readonly<Record<string, { zh: string; en: string }>> = {
  supervisor: { zh: '主管领导', en: 'a supervisor' },
  head: { zh: '机构负责人', en: 'the head' },
  archivist: { zh: '专门人员', en: 'the archivist' },
  system: { zh: '系统', en: 'the system' },
};

/**
 * The hint: `  next: enforcement-ledger -d <dir> <args…>` (`  下一步：…` in Chinese; see setHintCommand). `key` is the --key value found by
 * folderKeyWithRole; when undefined, `--key KEY` is written and a second line says whose key it has to be.
 */
export function nextHint(
  l: Lang,
  dir: string,
  args: readonly string[],
  key?: { readonly name: string | undefined; readonly roles: readonly string[] },
): string {
  const words = [...args, ...(key ? ['--key', key.name ?? KEY_PLACEHOLDER] : [])];
  const line = `${hintCommand} -d ${shellQuote(dir)} ${words.map(shellQuote).join(' ')}`;
  const head = l === 'zh' ? `  下一步：${line}` : `  next: ${line}`;
  if (!key || key.name !== undefined) return head;
  const who = key.roles.map((r) => ROLE_WORDS[r]?.[l] ?? r).join(l === 'zh' ? '或' : ' or ');
  return `${head}\n${
    l === 'zh'
      ? `  （本文件夹 keys/ 中没有${who}的密钥：把 ${KEY_PLACEHOLDER} 换成其密钥文件的路径）`
      : `  (no key of ${who} in this folder's keys/: replace ${KEY_PLACEHOLDER} with the path of that key's file)`
  }`;
}
