/**
 * The inspector's page script (bundled by scripts/build-inspector-page.ts into dist/inspector.html): reads the form
 * and the chosen or dropped files, runs `inspect` (./inspect.ts) and shows its result. Files are read with the File
 * API from the inspector's disk; nothing is fetched or sent.
 */
import {
  type AnchorsText,
  NO_ANCHORS,
  type NamedBytes,
  anchorsFromJson,
  classifyFiles,
  inspect,
  parseAnchors,
} from './inspect';

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`page element #${id} missing`);
  return el as T;
};

const FIELDS = ['logKey', 'origin', 'witnesses', 'quorum', 'ruleSet', 'checkpoint', 'nonce'] as const;
const state: { bundle?: NamedBytes; content: NamedBytes[] } = { content: [] };
/** File reads still under way: Verify waits for them. */
let pending: Promise<void> = Promise.resolve();

const bi = (zh: string, en: string): string => {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<span lang="zh-CN" class="zh">${esc(zh)}</span><span lang="en" class="en">${esc(en)}</span>`;
};

async function read(file: File): Promise<NamedBytes> {
  return { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
}

function anchorsText(): AnchorsText {
  const v = (id: string) => $<HTMLInputElement | HTMLTextAreaElement>(id).value;
  return {
    logKey: v('logKey'),
    origin: v('origin'),
    witnesses: v('witnesses'),
    quorum: v('quorum'),
    ruleSet: v('ruleSet'),
    checkpoint: v('checkpoint'),
    nonce: v('nonce'),
  };
}

function setAnchors(a: AnchorsText): void {
  for (const f of FIELDS) $<HTMLInputElement | HTMLTextAreaElement>(f).value = a[f];
  showPinned();
}

/** Under the origin field: the log the page will trust, as the log key and origin fields now say. */
function showPinned(): void {
  const origin = parseAnchors(anchorsText()).origin;
  const el = $('pinned');
  el.setAttribute('data-origin', origin ?? '');
  el.innerHTML = origin
    ? `${bi('将只接受来自此台账的证据包：', 'Only bundles of this log are accepted: ')}<code>${escapeText(origin)}</code>`
    : bi('尚未指定信任的台账：请输入台账公钥。', 'No trusted log yet: enter the log key.');
}

function showFiles(): void {
  const items: string[] = [];
  if (state.bundle)
    items.push(`<li data-role="bundle">${bi('证据包', 'bundle')}：${escapeText(state.bundle.name)}</li>`);
  for (const c of state.content)
    items.push(`<li data-role="content">${bi('随附文件', 'content file')}：${escapeText(c.name)}</li>`);
  $('files').innerHTML = items.join('');
}

const escapeText = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function showErrors(errors: ReturnType<typeof inspect>['anchorErrors'], fileError?: string): void {
  for (const el of Array.from(document.querySelectorAll<HTMLElement>('[data-error-for]'))) el.innerHTML = '';
  for (const e of errors) {
    const el = document.querySelector<HTMLElement>(`[data-error-for="${e.field}"]`);
    if (el) el.innerHTML += `<div data-code="${e.code}">${bi(e.text.zh, e.text.en)}</div>`;
  }
  if (fileError) $('anchorsFile').nextElementSibling!.innerHTML = fileError;
}

async function run(): Promise<void> {
  await pending;
  const result = inspect({
    anchors: anchorsText(),
    bundle: state.bundle,
    content: state.content,
    now: Date.now(),
  });
  showErrors(result.anchorErrors);
  const out = $('result');
  out.innerHTML = result.html;
  out.setAttribute('data-verdict', result.verdict);
  out.scrollIntoView({ block: 'start' });
}

function addFiles(list: FileList | null, role: 'auto' | 'bundle' | 'content'): void {
  const files = Array.from(list ?? []);
  if (files.length === 0) return;
  pending = pending.then(() => addRead(files, role));
}

async function addRead(list: File[], role: 'auto' | 'bundle' | 'content'): Promise<void> {
  const files = await Promise.all(list.map(read));
  if (role === 'bundle') state.bundle = files[0];
  else if (role === 'content') state.content.push(...files);
  else {
    const c = classifyFiles(files);
    if (c.anchors) setAnchors(c.anchors);
    if (c.bundle) state.bundle = c.bundle;
    state.content.push(...c.content);
  }
  showFiles();
}

function main(): void {
  $('lang').addEventListener('click', () => {
    const h = document.documentElement;
    const l = h.getAttribute('data-lang') === 'zh' ? 'en' : 'zh';
    h.setAttribute('data-lang', l);
    h.setAttribute('lang', l === 'zh' ? 'zh-CN' : 'en');
  });
  for (const id of ['logKey', 'origin']) $(id).addEventListener('input', showPinned);
  showPinned();
  $('verify').addEventListener('click', () => {
    void run();
  });
  $('reset').addEventListener('click', () => {
    state.bundle = undefined;
    state.content = [];
    setAnchors(NO_ANCHORS);
    for (const id of ['bundleFile', 'contentFiles', 'anchorsFile']) $<HTMLInputElement>(id).value = '';
    showFiles();
    showErrors([]);
    $('result').innerHTML = '';
    $('result').removeAttribute('data-verdict');
  });
  $<HTMLInputElement>('bundleFile').addEventListener('change', (e) => {
    addFiles((e.target as HTMLInputElement).files, 'bundle');
  });
  $<HTMLInputElement>('contentFiles').addEventListener('change', (e) => {
    state.content = [];
    addFiles((e.target as HTMLInputElement).files, 'content');
  });
  $<HTMLInputElement>('anchorsFile').addEventListener('change', async (e) => {
    const f = (e.target as HTMLInputElement).files?.[0];
    if (!f) return;
    const a = anchorsFromJson(await f.text());
    if (a) {
      setAnchors(a);
      showErrors([]);
    } else
      showErrors(
        [],
        bi(
          `${f.name} 不是信任锚文件（应为含 logKey、witnesses、quorum 或 ruleSet 的 JSON 对象）`,
          `${f.name} is not an anchors file (a JSON object with logKey, witnesses, quorum or ruleSet)`,
        ),
      );
  });
  const drop = $('drop');
  for (const ev of ['dragenter', 'dragover'])
    document.addEventListener(ev, (e) => {
      e.preventDefault();
      drop.classList.add('over');
    });
  document.addEventListener('dragleave', () => drop.classList.remove('over'));
  document.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    addFiles((e as DragEvent).dataTransfer?.files ?? null, 'auto');
  });
}

main();
