import { useState } from 'react';
import { Button, Group, Modal, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { createInvitationSchema } from '#shared/api.ts';
import { LANGUAGES, ROLES, type Language, type Role } from '#shared/domain.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { currentLanguage, i18n } from '../../i18n/index.ts';
import { applyApiError } from '../../lib/errors.ts';
import { schemaRules } from '../../lib/schema-validation.ts';
import { adminApi, adminKeys } from './admin-api.ts';
import { OrganizationSelect } from './organization-select.tsx';
import { useSubmission } from '../../lib/submission.ts';

type InviteValues = { email: string; name: string; role: Role; organizationId: string | null; language: Language };
const invitation = (values: InviteValues) => ({
  email: values.email.trim(),
  name: values.name.trim() || undefined,
  role: values.role,
  organizationId: values.role === 'customer' ? values.organizationId : null,
  language: values.language,
});
const invitationRules = schemaRules(createInvitationSchema, { payload: invitation });

function InviteForm({ onDone, onInvited }: { onDone: () => void; onInvited: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const submission = useSubmission();
  const form = useForm<InviteValues>({
    initialValues: { email: '', name: '', role: 'customer', organizationId: null, language: currentLanguage() },
    validate: (values) => {
      const errors = invitationRules(values);
      // A customer belongs to an organization: the server says so (invitation.organization_required), not the schema.
      if (values.role === 'customer' && values.organizationId === null) errors.organizationId = i18n.t('users.organizationRequired');
      return errors;
    },
  });

  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async (values) => {
        setError(null);
        try {
          const body = invitation(values);
          const invited = await submission(body, (key) => adminApi.invite(body, key));
          await queryClient.invalidateQueries({ queryKey: adminKeys.invitations });
          notifications.show({ color: 'green', message: i18n.t('users.invited', { email: invited.email }) });
          onInvited();
          onDone();
        } catch (e) {
          setError(applyApiError(form, e));
        }
      })}
    >
      <Stack gap="md">
        <ErrorAlert message={error} />
        <TextInput label={t('fields.email')} type="email" required data-autofocus {...form.getInputProps('email')} />
        <TextInput label={t('users.inviteName')} description={t('common.optional')} {...form.getInputProps('name')} />
        <SimpleGrid cols={{ base: 1, xs: 2 }}>
          <Select<Role>
            label={t('users.role')}
            data={ROLES.map((role) => ({ value: role, label: t(`roles.${role}`) }))}
            allowDeselect={false}
            data-testid="invite-role"
            {...form.getInputProps('role')}
          />
          <Select<Language>
            label={t('users.inviteLanguage')}
            description={t('users.inviteLanguageHint')}
            data={LANGUAGES.map((language) => ({ value: language, label: t(`language.names.${language}`) }))}
            allowDeselect={false}
            data-testid="invite-language"
            {...form.getInputProps('language')}
          />
        </SimpleGrid>
        {/* Agents and administrators belong to no organization. */}
        {form.values.role === 'customer' && (
          <OrganizationSelect
            label={t('users.organization')}
            description={t('users.organizationCustomerHint')}
            placeholder={t('users.chooseOrganization')}
            required
            value={form.values.organizationId}
            error={form.errors.organizationId}
            onChange={(organization) => form.setFieldValue('organizationId', organization?.id ?? null)}
            data-testid="invite-organization"
          />
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={form.submitting} data-testid="invite-send">
            {t('users.inviteSend')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function InviteModal({ opened, onClose, onInvited }: { opened: boolean; onClose: () => void; onInvited: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={opened} onClose={onClose} title={t('users.inviteTitle')} size="lg">
      {opened && <InviteForm onDone={onClose} onInvited={onInvited} />}
    </Modal>
  );
}
