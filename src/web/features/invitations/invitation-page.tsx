import { useState } from 'react';
import { Alert, Badge, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { invitationPreviewSchema } from '#shared/api.ts';
import { AuthCard } from '../../components/auth-card.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { FullPageLoader } from '../../components/full-page-loader.tsx';
import { NewPasswordField, PasswordField } from '../../components/password-field.tsx';
import { api, ApiError } from '../../lib/api.ts';
import { applyApiError, errorMessage } from '../../lib/errors.ts';
import { newPassword, required, sameAs } from '../../lib/validation.ts';

type InvitationPreview = z.infer<typeof invitationPreviewSchema>;

function InvitationProblem({ code, message }: { code: string; message: string }) {
  const { t } = useTranslation();
  const title =
    code === 'invitation.used' ? t('invitation.usedTitle') : code === 'invitation.expired' ? t('invitation.expiredTitle') : t('invitation.notFoundTitle');
  return (
    <AuthCard testId="page-invitation-problem" title={title}>
      <Alert color="yellow" variant="light" role="alert" data-testid={`invitation-problem-${code.split('.')[1] ?? 'error'}`}>
        {message}
      </Alert>
      <Button component={Link} to="/login" variant="light">
        {t('common.toLogin')}
      </Button>
    </AuthCard>
  );
}

function AcceptForm({ token, preview }: { token: string; preview: InvitationPreview }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);
  const [gone, setGone] = useState<ApiError | null>(null);
  const form = useForm({
    initialValues: { name: preview.name, password: '', confirmation: '' },
    validate: { name: required, password: newPassword, confirmation: sameAs('password') },
  });
  if (gone) return <InvitationProblem code={gone.code} message={errorMessage(gone)} />;

  return (
    <AuthCard
      testId="page-invitation"
      title={t('invitation.title')}
      subtitle={preview.organization ? t('invitation.subtitleOrganization', { organization: preview.organization.name }) : t('invitation.subtitle')}
    >
      <Group gap="xs">
        <Text fz="sm" c="dimmed">
          {t('invitation.roleLabel')}
        </Text>
        <Badge variant="light">{t(`roles.${preview.role}`)}</Badge>
      </Group>
      <ErrorAlert message={error} />
      <form
        noValidate
        onSubmit={form.onSubmit(async (values) => {
          setError(null);
          try {
            const result = await api<{ status: 'accepted'; email: string }>('/invitations/accept', {
              body: { token, name: values.name.trim(), password: values.password },
            });
            const params = new URLSearchParams({ email: result.email, invited: 'accepted' });
            void navigate(`/login?${params}`, { replace: true });
          } catch (e) {
            if (e instanceof ApiError && e.code.startsWith('invitation.')) {
              setGone(e);
              return;
            }
            setError(applyApiError(form, e));
          }
        })}
      >
        <Stack gap="md">
          <TextInput label={t('fields.email')} value={preview.email} readOnly disabled data-testid="invitation-email" />
          <TextInput label={t('fields.name')} autoComplete="name" required {...form.getInputProps('name')} />
          <NewPasswordField label={t('fields.choosePassword')} required {...form.getInputProps('password')} />
          <PasswordField label={t('fields.confirmPassword')} autoComplete="new-password" required {...form.getInputProps('confirmation')} />
          <Button type="submit" fullWidth loading={form.submitting} data-testid="invitation-accept">
            {t('invitation.submit')}
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}

export function InvitationPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const preview = useQuery({
    queryKey: ['invitation', token],
    queryFn: () => api<InvitationPreview>(`/invitations/${encodeURIComponent(token)}`),
    enabled: token !== '',
    retry: false,
    staleTime: Infinity,
  });
  const { t } = useTranslation();

  if (!token) return <InvitationProblem code="invitation.not_found" message={t('errors.invitation.not_found')} />;
  if (preview.isPending) return <FullPageLoader />;
  if (preview.isError) {
    const code = preview.error instanceof ApiError ? preview.error.code : 'error';
    return <InvitationProblem code={code} message={errorMessage(preview.error)} />;
  }
  return <AcceptForm token={token} preview={preview.data} />;
}
