/**
 * Regenerates src/compliance/calendar-data.ts from the `chinese-days` package (State Council notices 2010–2026).
 * Run: npx tsx test/compliance/tools/generate-calendar-data.ts > src/compliance/calendar-data.ts && npx biome format --write src/compliance/calendar-data.ts
 * 2025 and 2026 are then checked by hand against the notices (test/compliance/calendar.test.ts).
 */
import { createRequire } from 'node:module';
import type { CalendarYear } from '../../../src/compliance/calendar';

const require = createRequire(import.meta.url);
const FIRST = 2010;
const LAST = 2026;
const VERSION = '2025.11.04-1';

interface Notice {
  title: string;
  docNo?: string;
  issued?: string;
  url?: string;
}

const std = (y: number) => `国务院办公厅关于${y}年部分节假日安排的通知`;
/** Notices as cited by chinese-days (src/holidays/generate.ts), titles from gov.cn. */
const NOTICES: Record<number, Notice[]> = {
  2026: [
    {
      title: std(2026),
      issued: '2025-11-04',
      url: 'https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm',
    },
  ],
  2025: [
    {
      title: std(2025),
      docNo: '国办发明电〔2024〕12号',
      issued: '2024-11-12',
      url: 'https://www.gov.cn/zhengce/zhengceku/202411/content_6986383.htm',
    },
  ],
  2024: [{ title: std(2024), url: 'https://www.gov.cn/zhengce/content/202310/content_6911527.htm' }],
  2023: [{ title: std(2023), url: 'http://www.gov.cn/zhengce/content/2022-12/08/content_5730844.htm' }],
  2022: [{ title: std(2022), url: 'http://www.gov.cn/zhengce/content/2021-10/25/content_5644835.htm' }],
  2021: [{ title: std(2021), url: 'http://www.gov.cn/zhengce/content/2020-11/25/content_5564127.htm' }],
  2020: [
    { title: std(2020), url: 'http://www.gov.cn/zhengce/content/2019-11/21/content_5454164.htm' },
    {
      title: '国务院办公厅关于延长2020年春节假期的通知',
      url: 'http://www.gov.cn/zhengce/content/2020-01/27/content_5472352.htm',
    },
  ],
  2019: [
    { title: std(2019), url: 'http://www.gov.cn/xinwen/2018-12/06/content_5346287.htm' },
    {
      title: '国务院办公厅关于调整2019年劳动节假期安排的通知',
      url: 'http://www.gov.cn/zhengce/content/2019-03/22/content_5375877.htm',
    },
  ],
  2018: [{ title: std(2018), url: 'http://www.gov.cn/zhengce/content/2017-11/30/content_5243579.htm' }],
  2017: [{ title: std(2017), url: 'http://www.gov.cn/zhengce/content/2016-12/01/content_5141603.htm' }],
  2016: [{ title: std(2016), url: 'http://www.gov.cn/zhengce/content/2015-12/10/content_10394.htm' }],
  2015: [
    { title: std(2015), url: 'http://www.gov.cn/zhengce/content/2014-12/16/content_9302.htm' },
    { title: '国务院关于中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日调休放假的通知' },
  ],
  2014: [{ title: std(2014), url: 'http://www.gov.cn/zwgk/2013-12/11/content_2546204.htm' }],
  2013: [{ title: std(2013), url: 'http://www.gov.cn/zwgk/2012-12/10/content_2286598.htm' }],
  2012: [{ title: std(2012), url: 'http://www.gov.cn/zwgk/2011-12/06/content_2012097.htm' }],
  2011: [{ title: std(2011), url: 'http://www.gov.cn/zwgk/2010-12/10/content_1762643.htm' }],
  2010: [{ title: std(2010), url: 'http://www.gov.cn/zwgk/2009-12/08/content_1482691.htm' }],
};

type YearFile = { holidays: Record<string, string>; workdays: Record<string, string> };
const zh = (v: string) => v.split(',')[1]!;
/** A New Year date in December belongs to the next year's notice. */
const noticeYear = (date: string, name: string) =>
  name === '元旦' && date.slice(5, 7) === '12' ? Number(date.slice(0, 4)) + 1 : Number(date.slice(0, 4));
const nextDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

const hol = new Map<number, Array<{ date: string; name: string }>>();
const work = new Map<number, string[]>();
for (let y = FIRST - 1; y <= LAST; y++) {
  const f = require(`chinese-days/dist/years/${y}.json`) as YearFile;
  for (const [date, v] of Object.entries(f.holidays)) {
    const ny = noticeYear(date, zh(v));
    if (!hol.has(ny)) hol.set(ny, []);
    hol.get(ny)!.push({ date, name: zh(v) });
  }
  for (const [date, v] of Object.entries(f.workdays)) {
    const ny = noticeYear(date, zh(v));
    if (!work.has(ny)) work.set(ny, []);
    work.get(ny)!.push(date);
  }
}

const years: CalendarYear[] = [];
for (let y = LAST; y >= FIRST; y--) {
  const days = (hol.get(y) ?? []).sort((a, b) => a.date.localeCompare(b.date));
  const spans: Array<{ name: string; from: string; to: string }> = [];
  for (const d of days) {
    const last = spans[spans.length - 1];
    // Contiguous rest days are one span (2025: 国庆节、中秋节 10/1–10/8 is one notice item).
    if (last && nextDay(last.to) === d.date) {
      last.to = d.date;
      if (!last.name.split('、').includes(d.name)) last.name += `、${d.name}`;
    } else spans.push({ name: d.name, from: d.date, to: d.date });
  }
  years.push({
    year: y,
    notices: NOTICES[y]!,
    holidays: spans,
    workdays: (work.get(y) ?? []).sort(),
    source: y >= 2025 ? 'notice; cross-checked with chinese-days@1.5.7' : 'chinese-days@1.5.7',
  });
}

function render(): string {
  const j = (v: unknown) => JSON.stringify(v).replace(/"(\w+)":/g, '$1: ');
  const ys = years.map(
    (y) =>
      `{ year: ${y.year}, notices: ${j(y.notices)}, holidays: [\n${y.holidays.map((h) => `${j(h)},`).join('\n')}\n], workdays: ${j(y.workdays)}, source: ${JSON.stringify(y.source)} }`,
  );
  return `{ version: ${JSON.stringify(VERSION)}, years: [\n${ys.join(',\n')}\n] }`;
}

process.stdout.write(`/**
 * Holidays and make-up working days of the State Council's annual notices (国务院办公厅关于…年部分节假日安排的通知),
 * one entry per year, newest first. Generated by test/compliance/tools/generate-calendar-data.ts from chinese-days@1.5.7;
 * 2025 and 2026 checked by hand against the notices. Add a year by data: \`defaultCalendar.withYear({...})\`.
 */
import type { CalendarData } from './calendar';

export const CN_CALENDAR_DATA: CalendarData = ${render()};
`);
