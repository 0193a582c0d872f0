// CLI translations through @vscode/l10n, reading the bundle the extension ships (l10n/), so both
// show the same words. English is the key itself.
import * as l10n from '@vscode/l10n';
import type { FindingParams, Translate } from '../core/findings/finding';
import zhCn from '../../l10n/bundle.l10n.zh-cn.json';

export type CliLanguage = 'en' | 'zh-cn';

const BUNDLES: Record<CliLanguage, Record<string, string>> = { en: {}, 'zh-cn': zhCn };

export const CLI_LANGUAGES = Object.keys(BUNDLES) as CliLanguage[];

/** `--lang`, else LC_ALL, LC_MESSAGES, LANG (POSIX precedence); zh_CN / zh_SG / zh-Hans → zh-cn. */
export function pickLanguage(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): CliLanguage | undefined {
  if (flag !== undefined) {
    const wanted = flag.toLowerCase().replace('_', '-');
    return (CLI_LANGUAGES as string[]).includes(wanted) ? (wanted as CliLanguage) : undefined;
  }
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^zh(?:[_-](?:cn|sg|hans)|$|\.)/i.test(locale) ? 'zh-cn' : 'en';
}

export function translator(language: CliLanguage): Translate {
  l10n.config({ contents: BUNDLES[language] });
  return (template: string, params: FindingParams) =>
    l10n.t(template, params as Record<string, string | number>);
}
