import { Fieldset, SimpleGrid, Textarea, TextInput } from '@mantine/core';
import type { UseFormReturnType } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { LANGUAGES } from '#shared/domain.ts';
import type { Localized } from './catalog-api.ts';

type WithTexts = { names: Localized; descriptions: Localized };

/** The name and the description of a desk or request type, in French, German and English. */
export function LocalizedFields<Values extends WithTexts>({ form, testId }: { form: UseFormReturnType<Values>; testId: string }) {
  const { t } = useTranslation();
  const f = form as unknown as UseFormReturnType<WithTexts>;
  return (
    <SimpleGrid cols={{ base: 1, md: 3 }} spacing="sm">
      {LANGUAGES.map((language) => (
        <Fieldset key={language} legend={t(`language.names.${language}`)} variant="filled" p="sm" lang={language}>
          <TextInput label={t('catalog.fields.name')} required data-testid={`${testId}-name-${language}`} {...f.getInputProps(`names.${language}`)} />
          <Textarea
            label={t('catalog.fields.description')}
            description={t('common.optional')}
            autosize
            minRows={3}
            maxRows={8}
            mt="xs"
            data-testid={`${testId}-description-${language}`}
            {...f.getInputProps(`descriptions.${language}`)}
          />
        </Fieldset>
      ))}
    </SimpleGrid>
  );
}
