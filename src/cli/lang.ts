/** Language of human output: `--lang zh|en`, else the locale (LC_ALL, LC_MESSAGES, LANG): zh when it starts with zh. */
export type Lang = 'zh' | 'en';

export function localeLang(env: NodeJS.ProcessEnv): Lang {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return locale.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

/** A text in both languages. */
export interface Text {
  readonly zh: string;
  readonly en: string;
}

export const tx = (zh: string, en: string): Text => ({ zh, en });
