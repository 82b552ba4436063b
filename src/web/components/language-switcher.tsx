import { SegmentedControl, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, type Language } from '#shared/domain.ts';
import { useChangeLanguage } from '../features/session/session.ts';
import { currentLanguage } from '../i18n/index.ts';

/**
 * FR · DE · EN. Each choice is a radio named after its language ("Deutsch") and carries the
 * test id `language-<code>`.
 */
export function LanguageSwitcher() {
  const { t } = useTranslation();
  const changeLanguage = useChangeLanguage();
  return (
    <SegmentedControl<Language>
      data-testid="language-switcher"
      aria-label={t('language.label')}
      size="xs"
      radius="md"
      value={currentLanguage()}
      onChange={changeLanguage}
      data={LANGUAGES.map((language) => ({
        value: language,
        label: (
          <span data-testid={`language-${language}`} title={t(`language.names.${language}`)}>
            <span aria-hidden>{language.toUpperCase()}</span>
            <VisuallyHidden>{t(`language.names.${language}`)}</VisuallyHidden>
          </span>
        ),
      }))}
    />
  );
}
