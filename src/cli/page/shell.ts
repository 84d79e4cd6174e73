/**
 * The inspector's page as one HTML file: the form (trust anchors, bundle, content files), the report's style sheet
 * and the page script inlined. Its Content-Security-Policy allows no fetch, image, font or frame from anywhere, so
 * nothing can leave the page; the files are read from the inspector's disk by the browser.
 */
import { REPORT_CSS, escapeHtml, tt } from '../report/html';

const PAGE_CSS = `
.warn{background:var(--warn)}.verdict.warn{background:var(--warn)}
fieldset{border:1px solid var(--line);border-radius:6px;margin:16px 0;padding:12px 16px}
legend{font-weight:bold;padding:0 6px}
label{display:block;margin:10px 0 4px;font-weight:bold}
.hint{color:var(--muted);font-size:.85em;margin:2px 0 6px}
input[type=text],textarea{width:100%;box-sizing:border-box;font-family:ui-monospace,"Noto Sans Mono CJK SC",monospace;font-size:.9em;padding:6px}
textarea{min-height:4.5em}
input[type=number]{width:6em;padding:4px}
.field-error{color:var(--bad);font-size:.9em;margin:4px 0}
#drop{border:2px dashed #8aa;border-radius:8px;padding:20px;text-align:center;background:#f7fafa;margin:12px 0}
#drop.over{background:#e3f1f1;border-color:#2a7}
#files li{font-size:.9em}
.actions{margin:16px 0}.actions button{float:none;padding:8px 20px;font-size:1em;margin-right:8px}
#verify{background:#1f5fa8;color:#fff;border:0;border-radius:4px}
.note{margin-top:0}
`;

/** The whole page around its script (`script`: the bundled src/cli/page/app.ts, an IIFE). */
export function pageHtml(script: string, version: string): string {
  const field = (id: string, zh: string, en: string, hintZh: string, hintEn: string, input: string) =>
    `<label for="${id}">${tt(zh, en)}</label><p class="hint">${tt(hintZh, hintEn)}</p>${input}<div class="field-error" data-error-for="${id}"></div>`;
  const anchors = `<fieldset id="anchors"><legend>${tt('一、信任锚（由检查方提供，不取自证据包）', '1. Trust anchors (yours, never taken from the bundle)')}</legend>
${field('logKey', '台账检查点公钥', 'Log key', '被检查单位台账的验证公钥，形如 名称+8位十六进制+base64（与命令行 --log-key 相同）。', 'The ledger’s checkpoint verifier key, name+8 hex digits+base64 (as the CLI’s --log-key).', '<input type="text" id="logKey" spellcheck="false" autocomplete="off">')}
${field('origin', '台账来源（可选）', 'Log origin (optional)', '被检查单位台账的 origin（检查点首行），如 ledger.jcwjw.example/penalty；留空即取台账公钥的名称。来自其他台账的证据包将被拒绝。', 'The inspected ledger’s origin (first line of its checkpoints), e.g. ledger.jcwjw.example/penalty; empty takes the log key’s name. A bundle of another log is refused.', '<input type="text" id="origin" spellcheck="false" autocomplete="off"><p class="hint" id="pinned"></p>')}
${field('witnesses', '见证方公钥', 'Witness keys', '每行一个（与命令行 --witness 相同）。', 'One per line (as the CLI’s --witness).', '<textarea id="witnesses" spellcheck="false"></textarea>')}
${field('quorum', '法定联署数量', 'Quorum', '至少需多少个见证方联署；留空表示全部。', 'How many of the witnesses must have cosigned; empty means all.', '<input type="number" id="quorum" min="0">')}
${field('ruleSet', '规则集标识', 'Rule-set identity', '接受的规则集 SHA-256（64 位十六进制），每行一个；留空则接受证据包所带规则集并重新计算。', 'Accepted rule-set SHA-256 (64 hex digits), one per line; empty accepts the bundle’s rule set and re-evaluates it.', '<input type="text" id="ruleSet" spellcheck="false" autocomplete="off">')}
${field('checkpoint', '检查方已持有的检查点（可选）', 'A checkpoint you already hold (optional)', '此前收到的已签名检查点全文（与命令行 --checkpoint 相同）：证据包须与之一致。', 'The full text of a signed checkpoint you received before (as the CLI’s --checkpoint): the bundle must be consistent with it.', '<textarea id="checkpoint" spellcheck="false"></textarea>')}
${field('nonce', '抽样随机数（可选）', 'Sampling nonce (optional)', '您给出的十六进制随机数（与命令行 --nonce 相同）：证据包须正是该抽样。', 'The hex nonce you gave (as the CLI’s --nonce): the bundle must be that sample.', '<input type="text" id="nonce" spellcheck="false" autocomplete="off">')}
<label for="anchorsFile">${tt('或载入信任锚文件（JSON）', 'Or load an anchors file (JSON)')}</label><p class="hint">{"logKey": "…", "witnesses": ["…"], "quorum": 1, "ruleSet": "…", "checkpoint": "…", "nonce": "…"}</p><input type="file" id="anchorsFile" accept=".json,application/json"><div class="field-error" data-error-for="anchorsFile"></div>
</fieldset>`;
  const files = `<fieldset id="inputs"><legend>${tt('二、证据包与随附文件', '2. Bundle and content files')}</legend>
<div id="drop">${tt('将证据包、随附文件（文书扫描件、音像文件）或信任锚文件拖到此处', 'Drop the bundle, content files (document scans, media) or an anchors file here')}</div>
<label for="bundleFile">${tt('证据包', 'Proof bundle')}</label><input type="file" id="bundleFile">
<label for="contentFiles">${tt('随附文件（可选，在本页计算摘要，不上传）', 'Content files (optional; hashed in this page, never uploaded)')}</label><input type="file" id="contentFiles" multiple>
<ul id="files"></ul>
</fieldset>`;
  const head = `<header><button id="lang" type="button">中文 / English</button><h1>${tt('执法全过程记录证据包核验（检查方页面）', 'Proof bundle verification (inspector’s page)')}</h1><p class="meta">${tt('本页离线运行：不联网、不上传，所有核验在您的浏览器内完成。', 'This page works offline: nothing is sent anywhere; all verification happens in your browser.')} enforcement-ledger ${escapeHtml(version)}</p></header>`;
  const actions = `<div class="actions"><button id="verify" type="button">${tt('核验', 'Verify')}</button><button id="reset" type="button">${tt('清空', 'Clear')}</button></div>`;
  // The script is inlined; `</script` cannot occur in it unescaped (esbuild escapes it in strings).
  const safeScript = script.replace(/<\/script/gi, '<\\/script');
  return `<!DOCTYPE html><html lang="zh-CN" data-lang="zh"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; form-action 'none'; base-uri 'none'"><title>证据包核验 · Proof bundle verification</title><style>${REPORT_CSS}${PAGE_CSS}</style></head><body>${head}<main>${anchors}${files}${actions}<div id="result" aria-live="polite"></div></main><script>${safeScript}</script></body></html>\n`;
}
