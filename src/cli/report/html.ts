/**
 * The inspector's report as one self-contained HTML page: inline CSS and script, no external resource, so it opens
 * offline. Chinese by default; a button switches to English (both texts are in the page).
 */
import { chinaDateTime } from '../../compliance/civil-date';
import { type Finding, LIABILITY_ITEMS } from '../../compliance/finding';
import type { Lang, Text } from '../lang';
import {
  type CaseTimeline,
  type CheckItem,
  type InspectionReport,
  type TimelineAction,
  actionTypeName,
} from './model';

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESC[c]!);

/** Both languages in the page; CSS shows the chosen one. */
export const t = (x: Text): string =>
  `<span lang="zh-CN" class="zh">${escapeHtml(x.zh)}</span><span lang="en" class="en">${escapeHtml(x.en)}</span>`;
export const tt = (zh: string, en: string) => t({ zh, en });
export const time = (ms: number | null) => (ms === null ? '—' : escapeHtml(chinaDateTime(ms)));
/** Punctuation in the language shown: full-width in Chinese, ASCII with a space in English. */
const COLON = tt('：', ': ');
const SEMI = tt('；', '; ');
/** A document's name: its official Chinese name, or its stable type id in English (there is no official English). */
const docName = (d: { name: string; type: string }) => tt(d.name, d.type || d.name);

/** The report's style sheet; the inspector's page (src/cli/page/) uses it too. */
export const REPORT_CSS = `
:root{--ok:#1b7f3b;--bad:#b3261e;--warn:#a15c00;--muted:#666;--line:#ddd;font-family:"Noto Sans CJK SC","Microsoft YaHei",system-ui,sans-serif}
body{margin:0 auto;max-width:1100px;padding:24px;color:#222;line-height:1.5}
html[data-lang=zh] .en,html[data-lang=en] .zh{display:none}
html[data-lang=en]{font-family:system-ui,"Helvetica Neue",Arial,"Noto Sans CJK SC","Microsoft YaHei",sans-serif}
h1{font-size:1.5em;margin:0 0 4px}h2{border-bottom:2px solid var(--line);padding-bottom:4px;margin-top:32px}
.meta{color:var(--muted);font-size:.9em;word-break:break-all}
.verdict{display:inline-block;padding:4px 12px;border-radius:4px;color:#fff;font-weight:bold}
.verdict.ok{background:var(--ok)}.verdict.bad{background:var(--bad)}
table{border-collapse:collapse;width:100%}td,th{border:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f5f5f5}.pass{color:var(--ok);font-weight:bold}.fail{color:var(--bad);font-weight:bold}.skip{color:var(--muted)}
.action{margin:16px 0;padding:12px;border:1px solid var(--line);border-radius:6px}
.track{position:relative;height:28px;background:#f0f0f0;border-radius:3px;margin:8px 0 4px;overflow:hidden}
.seg{position:absolute;top:0;bottom:0;background:#4a90d9;border-right:1px solid #fff}
.mark{position:absolute;top:0;bottom:0}
.mark.gap{background:repeating-linear-gradient(45deg,var(--bad),var(--bad) 4px,#f3c2bf 4px,#f3c2bf 8px)}
.mark.exception{background:repeating-linear-gradient(45deg,var(--warn),var(--warn) 4px,#f7dfb8 4px,#f7dfb8 8px)}
.scale{display:flex;justify-content:space-between;font-size:.8em;color:var(--muted)}
.legend span{display:inline-block;margin-right:12px;font-size:.85em}.sw{display:inline-block;width:12px;height:12px;vertical-align:middle;margin-right:4px}
.marks li.gap{color:var(--bad);font-weight:bold}.marks li.exception{color:var(--warn)}
.late{color:var(--bad);font-weight:bold}
.finding.violation td:first-child{border-left:4px solid var(--bad)}.finding.warning td:first-child{border-left:4px solid var(--warn)}
button{float:right;padding:4px 10px}
@media print{button{display:none}}
`;

const SCRIPT = `document.getElementById('lang').addEventListener('click',function(){var h=document.documentElement;var l=h.getAttribute('data-lang')==='zh'?'en':'zh';h.setAttribute('data-lang',l);h.setAttribute('lang',l==='zh'?'zh-CN':'en');});`;

const SEVERITY: Record<string, { zh: string; en: string }> = {
  violation: { zh: '违规', en: 'violation' },
  warning: { zh: '提示', en: 'warning' },
  info: { zh: '信息', en: 'info' },
};

/** The severity in both languages (the page switches between them), falling back to the code itself. */
function severityText(severity: string): string {
  const s = SEVERITY[severity];
  return s ? tt(s.zh, s.en) : escapeHtml(severity);
}

const STATUS: Record<CheckItem['status'], { cls: string; mark: string; zh: string; en: string }> = {
  passed: { cls: 'pass', mark: '✔', zh: '通过', en: 'pass' },
  failed: { cls: 'fail', mark: '✘', zh: '未通过', en: 'fail' },
  not_checked: { cls: 'skip', mark: '', zh: '未检查', en: 'not checked' },
  not_anchored: { cls: 'fail', mark: '?', zh: '无信任锚', en: 'not anchored' },
};

/** A failed check's problems in words: what each means and what to do. */
function problemList(c: CheckItem): string {
  if (!c.problems?.length) return '';
  const items = c.problems
    .map(
      (p) =>
        `<li data-code="${escapeHtml(p.code)}"><code>${escapeHtml(p.code)}</code> ${t(p.meaning)}${p.action ? `<br>${tt('处理：', 'What to do: ')}${t(p.action)}` : ''}</li>`,
    )
    .join('');
  return `<ul class="problems">${items}</ul>`;
}

function checklist(r: InspectionReport): string {
  const rows = r.checklist
    .map((c) => {
      const s = STATUS[c.status];
      const state = `<td class="${s.cls}">${s.mark ? `${s.mark} ` : ''}${tt(s.zh, s.en)}</td>`;
      const ok = c.status === 'passed' ? 'true' : c.status === 'failed' ? 'false' : 'null';
      return `<tr data-check="${escapeHtml(c.id)}" data-ok="${ok}" data-status="${c.status}">${state}<td>${t(c.label)}</td><td class="meta">${typeof c.detail === 'object' ? t(c.detail) : escapeHtml(c.detail ?? '')}${problemList(c)}</td></tr>`;
    })
    .join('');
  return `<section id="checklist"><h2>${tt('核验清单', 'Verification checklist')}</h2><table><thead><tr><th>${tt('结果', 'Result')}</th><th>${tt('检查项', 'Check')}</th><th>${tt('说明', 'Detail')}</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

function track(a: TimelineAction): string {
  const ends = [a.to ?? a.from, ...a.segments.map((s) => s.to), ...a.marks.map((m) => m.to)];
  const from = Math.min(a.from, ...a.segments.map((s) => s.from));
  const to = Math.max(...ends, from + 1);
  const pct = (x: number) => (((x - from) / (to - from)) * 100).toFixed(3);
  const w = (x: number, y: number) => (((y - x) / (to - from)) * 100).toFixed(3);
  const segs = a.segments
    .map(
      (s) =>
        `<div class="seg" data-segment="${escapeHtml(s.segmentId)}" style="left:${pct(s.from)}%;width:${w(s.from, s.to)}%" title="${escapeHtml(`${s.segmentId} ${s.deviceId} ${chinaDateTime(s.from)}–${chinaDateTime(s.to)}`)}"></div>`,
    )
    .join('');
  const marks = a.marks
    .map(
      (m) =>
        `<div class="mark ${m.type}" style="left:${pct(m.from)}%;width:${w(m.from, m.to)}%" title="${escapeHtml(`${m.label.zh} / ${m.label.en}`)}"></div>`,
    )
    .join('');
  return `<div class="track">${segs}${marks}</div><div class="scale"><span>${time(from)}</span><span>${time(to)}</span></div>`;
}

function actionBlock(a: TimelineAction): string {
  const types = tt(a.types.map(actionTypeName).join('、'), a.types.join(', '));
  const marks = a.marks.length
    ? `<ul class="marks">${a.marks.map((m) => `<li class="${m.type}" data-mark="${m.type}">${time(m.from)} – ${time(m.to)}${COLON}${t(m.label)}</li>`).join('')}</ul>`
    : '';
  const docs = a.documents.length
    ? `<ul class="docs">${a.documents.map((d) => `<li>${time(d.at)} ${docName(d)} <span class="meta">${escapeHtml(d.documentId)} · #${d.seq}</span></li>`).join('')}</ul>`
    : '';
  const dep = a.deposit;
  const deposit = `<p class="deposit${dep.late ? ' late' : ''}" data-deadline="${escapeHtml(dep.deadline ?? '')}">${tt('归档期限（第22条第1项）', 'Deposit deadline (Art. 22(1))')}${COLON}${escapeHtml(dep.deadline ?? '—')}${SEMI}${tt('实际归档', 'deposited')}${COLON}${time(dep.depositedAt)}${dep.late ? ` ${tt('逾期', 'LATE')}` : ''}</p>`;
  return `<div class="action" data-action="${escapeHtml(a.actionId)}"><strong>${escapeHtml(a.actionId)}</strong> ${types} <span class="meta">${time(a.from)} – ${time(a.to)} · #${a.seq}</span>${track(a)}${marks}${docs}${deposit}</div>`;
}

function findings(list: readonly Finding[], verified: boolean): string {
  if (list.length === 0)
    return verified
      ? `<p class="pass">${tt('未发现问题', 'No findings')}</p>`
      : `<p class="fail">${tt('证据包未通过核验：未发现问题不代表合规', 'The bundle did not verify: no finding here does not mean compliant')}</p>`;
  const rows = list
    .map((f) => {
      const item = LIABILITY_ITEMS[f.liability];
      return `<tr class="finding ${f.severity}" data-article="${escapeHtml(f.article)}" data-code="${escapeHtml(f.code)}"><td>${tt(`第${f.article}条`, `Art. ${f.article}`)}</td><td>${severityText(f.severity)}</td><td>${t(f.message)}</td><td data-liability="${escapeHtml(f.liability)}">${f.liability === 'none' ? '' : `${tt(`第${f.liability}项`, `Art. ${f.liability}`)}${COLON}`}${item ? t(item) : ''}</td><td class="meta">${f.seqs.map((s) => `#${s}`).join(' ')}</td></tr>`;
    })
    .join('');
  return `<table><thead><tr><th>${tt('条款', 'Article')}</th><th>${tt('等级', 'Severity')}</th><th>${tt('问题', 'Finding')}</th><th>${tt('责任情形', 'Liability')}</th><th>${tt('记录', 'Records')}</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** The case's verdict: never “compliant” when the source itself did not verify (its records cannot be relied on). */
function caseVerdict(c: CaseTimeline, verified: boolean): string {
  if (!verified)
    return `<span class="verdict bad" data-verdict="unverified">${tt('未核实（证据包未通过核验）', 'not verified (the bundle did not verify)')}</span>`;
  return c.compliant
    ? `<span class="verdict ok" data-verdict="compliant">${tt('合规', 'compliant')}</span>`
    : `<span class="verdict bad" data-verdict="violations">${tt('发现违规', 'violations')}</span>`;
}

function caseBlock(c: CaseTimeline, verified: boolean): string {
  const docs = c.documents.length
    ? `<h4>${tt('其他文书', 'Other documents')}</h4><ul class="docs">${c.documents.map((d) => `<li>${time(d.at)} ${docName(d)} <span class="meta">${escapeHtml(d.documentId)} · #${d.seq}</span></li>`).join('')}</ul>`
    : '';
  const legend = `<p class="legend"><span><i class="sw" style="background:#4a90d9"></i>${tt('音像记录', 'AV segment')}</span><span><i class="sw mark gap" style="position:static"></i>${tt('中断（无批准说明）', 'gap (not excused)')}</span><span><i class="sw mark exception" style="position:static"></i>${tt('经记录的暂停', 'recorded pause')}</span></p>`;
  return `<section class="case" data-case="${escapeHtml(c.caseId)}"><h2>${tt('案件', 'Case')} ${escapeHtml(c.caseId)} ${caseVerdict(c, verified)}</h2><p>${escapeHtml(c.title)}</p>${verified ? `<p class="meta">${t(c.summary)}</p>` : `<p class="fail">${tt('证据包未通过核验，以下记录与结果不可采信', 'The bundle did not verify: the records and results below cannot be relied on')}</p>`}<h3>${tt('时间线', 'Timeline')}</h3><div class="timeline">${legend}${c.actions.map(actionBlock).join('')}${docs}</div><h3>${tt('问题清单', 'Findings')}</h3><div class="findings">${findings(c.findings, verified)}</div></section>`;
}

function headline(r: InspectionReport): string {
  if (r.ok) return tt('核验通过', 'VERIFIED');
  if (r.verified || r.checklist.some((c) => c.status === 'failed')) return tt('发现问题', 'PROBLEMS FOUND');
  return tt('未核实：未给出信任锚', 'NOT VERIFIED: no trust anchor given');
}

/** The report's source line: bundle or ledger, origin, size, root, when it was made. */
export function reportSource(r: InspectionReport): string {
  const src = r.source;
  return `<p class="meta">${tt(src.kind === 'bundle' ? '证据包' : '台账', src.kind === 'bundle' ? 'Bundle' : 'Ledger')}${COLON}${escapeHtml(src.name)} · ${escapeHtml(src.origin)} · ${tt('条目数', 'entries')} ${src.size} · root ${escapeHtml(src.root)}<br>${tt('生成时间', 'Generated')}${COLON}${time(r.generatedAt)}${tt('（UTC+8）', ' (UTC+8)')}</p>`;
}

/** Art. 28: the agency's own findings (self-check cadence), when the source is a whole ledger. */
function agencyBlock(r: InspectionReport): string {
  if (r.agency === undefined) return '';
  return `<section class="agency" id="agency"><h2>${tt('本机构定期检查（第28条）', 'Periodic self-checks of the agency (Art. 28)')}</h2><div class="findings">${findings(r.agency, r.verified)}</div></section>`;
}

/** The report's body without page or verdict: the checklist, the agency's findings, each case's timeline and findings. */
export function reportSections(r: InspectionReport): string {
  return `${checklist(r)}${agencyBlock(r)}${r.cases.map((c) => caseBlock(c, r.verified)).join('')}`;
}

/** The whole page. `lang` is the language shown first (default Chinese). */
export function renderHtmlReport(r: InspectionReport, lang: Lang = 'zh'): string {
  const head = `<header><button id="lang" type="button">中文 / English</button><h1>${t(r.title)}</h1><p><span class="verdict ${r.ok ? 'ok' : 'bad'}" id="verdict">${headline(r)}</span></p>${reportSource(r)}</header>`;
  return `<!DOCTYPE html><html lang="${lang === 'zh' ? 'zh-CN' : 'en'}" data-lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'"><title>${escapeHtml(lang === 'zh' ? r.title.zh : r.title.en)}</title><style>${REPORT_CSS}</style></head><body>${head}${reportSections(r)}<script>${SCRIPT}</script></body></html>\n`;
}
