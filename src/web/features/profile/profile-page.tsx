import { useMemo, useState } from 'react';
import { Badge, Button, Card, Group, Select, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Me } from '#shared/api.ts';
import { LANGUAGES, type Language } from '#shared/domain.ts';
import { supportedTimeZones } from '#shared/time-zones.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { NewPasswordField, PasswordField } from '../../components/password-field.tsx';
import { i18n, rememberLanguage } from '../../i18n/index.ts';
import { api } from '../../lib/api.ts';
import { browserTimeZone, zoneOffsetName } from '../../lib/dates.ts';
import { applyApiError } from '../../lib/errors.ts';
import { newPassword, required, sameAs } from '../../lib/validation.ts';
import { authApi } from '../auth/auth-api.ts';
import { ME_KEY, useMe } from '../session/session.ts';
import { usePageTitle } from '../../lib/page-title.ts';
import { ApiTokensCard } from './api-tokens-card.tsx';
import { EmailPreferencesCard } from './email-preferences-card.tsx';
import { TwoFactorCard } from '../two-factor/two-factor-card.tsx';

/** The select's value for "no zone of my own": the business calendar's. */
const CALENDAR_ZONE = 'calendar';

/** Every zone a person may choose, with its current offset from UTC ("America/New York (UTC−5)"), searchable by name. */
function useTimeZoneOptions(calendarZone: string) {
  const { t, i18n: instance } = useTranslation();
  const language = instance.language;
  const zones = useMemo(() => {
    const now = new Date();
    return supportedTimeZones().map((zone) => {
      const offset = zoneOffsetName(zone, language, now);
      return { value: zone, label: `${zone.replaceAll('_', ' ')}${offset ? ` (${offset})` : ''}` };
    });
  }, [language]);
  return [{ value: CALENDAR_ZONE, label: t('profile.timeZoneCalendar', { zone: calendarZone }) }, ...zones];
}

function DetailsCard({ me }: { me: Me }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const zoneOptions = useTimeZoneOptions(me.timeZone.calendar);
  const form = useForm({
    initialValues: { name: me.name, language: me.language as Language, timeZone: me.timeZone.isDefault ? CALENDAR_ZONE : me.timeZone.effective },
    validate: { name: required },
  });

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="profile-details-title">
      <Stack gap="md">
        <div>
          <Title order={2} fz="lg" id="profile-details-title">
            {t('profile.detailsTitle')}
          </Title>
          <Text fz="sm" c="dimmed">
            {t('profile.detailsText')}
          </Text>
        </div>
        <ErrorAlert message={error} />
        <form
          noValidate
          onSubmit={form.onSubmit(async (values) => {
            setError(null);
            try {
              const timeZone = values.timeZone === CALENDAR_ZONE ? null : values.timeZone;
              const updated = await api<Me>('/me', { method: 'PATCH', body: { name: values.name.trim(), language: values.language, timeZone } });
              queryClient.setQueryData(ME_KEY, updated);
              rememberLanguage(updated.language);
              await i18n.changeLanguage(updated.language);
              notifications.show({ color: 'green', message: i18n.t('profile.saved') });
            } catch (e) {
              setError(applyApiError(form, e));
            }
          })}
        >
          <Stack gap="md">
            <TextInput label={t('fields.name')} autoComplete="name" required {...form.getInputProps('name')} />
            <TextInput label={t('fields.email')} value={me.email} readOnly disabled description={t('profile.emailHint')} />
            <Select<Language>
              label={t('profile.language')}
              description={t('profile.languageHint')}
              data={LANGUAGES.map((language) => ({ value: language, label: t(`language.names.${language}`) }))}
              allowDeselect={false}
              {...form.getInputProps('language')}
            />
            <Select
              label={t('profile.timeZone')}
              description={t('profile.timeZoneHint', { browser: browserTimeZone() })}
              data={zoneOptions}
              searchable
              allowDeselect={false}
              nothingFoundMessage={t('common.noMatch')}
              data-testid="profile-time-zone"
              {...form.getInputProps('timeZone')}
            />
            <Group justify="flex-end">
              <Button type="submit" loading={form.submitting} disabled={!form.isDirty()} data-testid="profile-save">
                {t('common.save')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Stack>
    </Card>
  );
}

function PasswordCard() {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { currentPassword: '', newPassword: '', confirmation: '' },
    validate: { currentPassword: required, newPassword, confirmation: sameAs('newPassword') },
  });
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="profile-password-title">
      <Stack gap="md">
        <div>
          <Title order={2} fz="lg" id="profile-password-title">
            {t('profile.passwordTitle')}
          </Title>
          <Text fz="sm" c="dimmed">
            {t('profile.passwordText')}
          </Text>
        </div>
        <ErrorAlert message={error} />
        <form
          noValidate
          onSubmit={form.onSubmit(async (values) => {
            setError(null);
            try {
              await authApi.changePassword({ currentPassword: values.currentPassword, newPassword: values.newPassword });
              form.reset();
              notifications.show({ color: 'green', message: i18n.t('profile.passwordChanged') });
            } catch (e) {
              setError(applyApiError(form, e));
            }
          })}
        >
          <Stack gap="md">
            <PasswordField label={t('fields.currentPassword')} autoComplete="current-password" required {...form.getInputProps('currentPassword')} />
            <NewPasswordField label={t('fields.newPassword')} required {...form.getInputProps('newPassword')} />
            <PasswordField label={t('fields.confirmPassword')} autoComplete="new-password" required {...form.getInputProps('confirmation')} />
            <Group justify="flex-end">
              <Button type="submit" loading={form.submitting} data-testid="password-save">
                {t('profile.changePassword')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Stack>
    </Card>
  );
}

export function ProfilePage() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  usePageTitle(t('profile.title'));
  if (!me) return null;
  return (
    <Stack gap="lg" maw={960} data-testid="page-profile">
      <div>
        <Title order={1} fz={28}>
          {t('profile.title')}
        </Title>
        <Group gap="xs" mt={6}>
          <Badge variant="light">{t(`roles.${me.role}`)}</Badge>
          {me.organization && (
            <Badge variant="outline" color="gray">
              {me.organization.name}
            </Badge>
          )}
        </Group>
      </div>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        {/* Remounted when the profile changes, here or through the language switcher. */}
        <DetailsCard key={`${me.id}:${me.name}:${me.language}:${me.timeZone.isDefault ? '' : me.timeZone.effective}`} me={me} />
        <PasswordCard />
      </SimpleGrid>
      <TwoFactorCard me={me} />
      <EmailPreferencesCard role={me.role} />
      <ApiTokensCard role={me.role} />
    </Stack>
  );
}
