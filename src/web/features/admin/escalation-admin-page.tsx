import { useState } from 'react';
import { ActionIcon, Badge, Button, Fieldset, Group, Paper, Select, SimpleGrid, Stack, Text, Textarea, TextInput, Title, Tooltip } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { LANGUAGES, type Language } from '#shared/domain.ts';
import { escalationMatrixInputSchema } from '#shared/sla-api.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { FullPageLoader } from '../../components/full-page-loader.tsx';
import { i18n } from '../../i18n/index.ts';
import { ApiError } from '../../lib/api.ts';
import { errorMessage } from '../../lib/errors.ts';
import { schemaRules } from '../../lib/schema-validation.ts';
import { useLanguage } from '../requests/labels.tsx';
import { slaApi, slaKeys, useAdminEscalation, type EscalationMatrix } from '../sla/sla-api.ts';
import { AdminPageHeader } from './admin-layout.tsx';
import { localized, useDesks } from './catalog-api.ts';

type Contact = { name: string; role: string; email: string; phone: string; language: Language };
type LevelValues = { level: 1 | 2 | 3; whenToCall: Record<Language, string>; contacts: Contact[] };
type Values = { levels: LevelValues[] };

const emptyContact = (): Contact => ({ name: '', role: '', email: '', phone: '', language: 'fr' });
const toValues = (matrix: EscalationMatrix): Values => ({
  levels: ([1, 2, 3] as const).map((level) => {
    const found = matrix.levels.find((l) => l.level === level);
    return {
      level,
      whenToCall: { ...(found?.whenToCall ?? { fr: '', de: '', en: '' }) },
      contacts: (found?.contacts ?? []).map((c) => ({
        ...c,
        language: (LANGUAGES as readonly string[]).includes(c.language) ? (c.language as Language) : 'fr',
      })),
    };
  }),
});

/** The matrix as the server takes it: the form's texts without surrounding spaces. */
const matrixInput = (values: Values) => ({
  levels: values.levels.map((l) => ({
    level: l.level,
    whenToCall: { fr: l.whenToCall.fr.trim(), de: l.whenToCall.de.trim(), en: l.whenToCall.en.trim() },
    contacts: l.contacts.map((c) => ({
      name: c.name.trim(),
      role: c.role.trim(),
      email: c.email.trim(),
      phone: c.phone.trim(),
      language: c.language,
    })),
  })),
});

function MatrixForm({ deskId, matrix }: { deskId: string; matrix: EscalationMatrix }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<Values>({
    initialValues: toValues(matrix),
    validate: schemaRules(escalationMatrixInputSchema, { payload: matrixInput }),
  });

  return (
    <form
      noValidate
      data-testid="escalation-form"
      onSubmit={form.onSubmit(async (values) => {
        setError(null);
        try {
          const saved = await slaApi.setEscalation(deskId, matrixInput(values));
          queryClient.setQueryData(slaKeys.adminEscalation(deskId), saved);
          void queryClient.invalidateQueries({ queryKey: slaKeys.escalation });
          form.setInitialValues(toValues(saved));
          form.setValues(toValues(saved));
          notifications.show({ color: 'green', message: i18n.t('sla.escalationAdmin.saved') });
        } catch (e) {
          if (e instanceof ApiError && e.field && e.field.startsWith('levels.')) {
            form.setFieldError(e.field, e.code === 'validation.invalid' ? e.message : errorMessage(e));
            if (!(e.field in form.errors)) setError(`${e.field}: ${e.message}`);
          } else setError(errorMessage(e));
        }
      })}
    >
      <Stack gap="md">
        <ErrorAlert message={error} />
        {form.getValues().levels.map((level, li) => (
          <Paper key={level.level} withBorder p="md" data-testid={`escalation-admin-level-${level.level}`}>
            <Group gap="xs" mb="sm">
              <Badge variant="light" radius="sm">
                {t('sla.escalation.level', { level: level.level })}
              </Badge>
              <Text fw={600}>{t(`sla.escalation.levelNames.${level.level}`)}</Text>
            </Group>
            <SimpleGrid cols={{ base: 1, md: 3 }} spacing="sm">
              {LANGUAGES.map((language) => (
                <Textarea
                  key={language}
                  lang={language}
                  label={`${t('sla.escalationAdmin.whenToCall')} (${t(`language.names.${language}`)})`}
                  autosize
                  minRows={2}
                  data-testid={`escalation-when-${level.level}-${language}`}
                  {...form.getInputProps(`levels.${li}.whenToCall.${language}`)}
                />
              ))}
            </SimpleGrid>
            <Stack gap="xs" mt="sm">
              {level.contacts.length === 0 && (
                <Text fz="sm" c="dimmed">
                  {t('sla.escalationAdmin.noContact')}
                </Text>
              )}
              {level.contacts.map((_, ci) => (
                <Fieldset key={form.key(`levels.${li}.contacts.${ci}`)} p="xs" variant="filled" data-testid="escalation-admin-contact">
                  <Group align="flex-start" gap="xs" wrap="wrap">
                    <TextInput
                      label={t('sla.escalationAdmin.name')}
                      required
                      w={180}
                      data-testid="contact-name"
                      {...form.getInputProps(`levels.${li}.contacts.${ci}.name`)}
                    />
                    <TextInput
                      label={t('sla.escalationAdmin.role')}
                      required
                      w={180}
                      data-testid="contact-role"
                      {...form.getInputProps(`levels.${li}.contacts.${ci}.role`)}
                    />
                    <TextInput
                      label={t('sla.escalationAdmin.email')}
                      type="email"
                      required
                      w={220}
                      data-testid="contact-email"
                      {...form.getInputProps(`levels.${li}.contacts.${ci}.email`)}
                    />
                    <TextInput
                      label={t('sla.escalationAdmin.phone')}
                      type="tel"
                      required
                      w={160}
                      data-testid="contact-phone"
                      {...form.getInputProps(`levels.${li}.contacts.${ci}.phone`)}
                    />
                    <Select
                      label={t('sla.escalationAdmin.language')}
                      w={120}
                      allowDeselect={false}
                      data={LANGUAGES.map((l) => ({ value: l, label: t(`language.names.${l}`) }))}
                      data-testid="contact-language"
                      {...form.getInputProps(`levels.${li}.contacts.${ci}.language`)}
                    />
                    <Tooltip label={t('sla.escalationAdmin.removeContact')} withArrow>
                      <ActionIcon
                        mt={28}
                        variant="subtle"
                        color="red"
                        aria-label={t('sla.escalationAdmin.removeContact')}
                        onClick={() => form.removeListItem(`levels.${li}.contacts`, ci)}
                        data-testid="contact-remove"
                      >
                        <svg width="14" height="14" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2.2" aria-hidden focusable="false">
                          <path d="M6 6l12 12M18 6 6 18" />
                        </svg>
                      </ActionIcon>
                    </Tooltip>
                  </Group>
                </Fieldset>
              ))}
              <Group>
                <Button
                  size="xs"
                  variant="light"
                  onClick={() => form.insertListItem(`levels.${li}.contacts`, emptyContact())}
                  data-testid={`contact-add-${level.level}`}
                >
                  {t('sla.escalationAdmin.addContact')}
                </Button>
              </Group>
            </Stack>
          </Paper>
        ))}
        <Group justify="flex-end">
          <Button type="submit" loading={form.submitting} data-testid="escalation-save">
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** /admin/escalation: per desk, the three levels of the escalation matrix. */
export function EscalationAdminPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const desks = useDesks();
  const [chosen, setChosen] = useState<string | null>(null);
  const deskId = chosen ?? desks.data?.[0]?.id ?? null;
  const matrix = useAdminEscalation(deskId);
  const failed = desks.error ?? matrix.error;
  return (
    <>
      <AdminPageHeader title={t('sla.escalationAdmin.title')} description={t('sla.escalationAdmin.description')} />
      <Stack gap="md" data-testid="page-admin-escalation">
        {desks.data && (
          <Select
            label={t('sla.escalationAdmin.desk')}
            maw={320}
            allowDeselect={false}
            data={desks.data.map((d) => ({ value: d.id, label: `${localized(d.names, language)} (${d.keyPrefix})` }))}
            value={deskId}
            onChange={setChosen}
            data-testid="escalation-desk-select"
          />
        )}
        {failed ? (
          <ErrorAlert message={errorMessage(failed)} />
        ) : !desks.data || (deskId && !matrix.data) ? (
          <FullPageLoader />
        ) : deskId && matrix.data ? (
          <MatrixForm key={deskId} deskId={deskId} matrix={matrix.data} />
        ) : (
          <Title order={2} fz="md" c="dimmed">
            —
          </Title>
        )}
      </Stack>
    </>
  );
}
