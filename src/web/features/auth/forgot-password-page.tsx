import { useState } from 'react';
import { Alert, Anchor, Button, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { AuthCard } from '../../components/auth-card.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { applyApiError } from '../../lib/errors.ts';
import { validEmail } from '../../lib/validation.ts';
import { authApi } from './auth-api.ts';

export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const [error, setError] = useState<string | null>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const form = useForm({ initialValues: { email: params.get('email') ?? '' }, validate: { email: validEmail } });

  return (
    <AuthCard
      testId="page-forgot-password"
      title={t('forgot.title')}
      subtitle={sentTo ? undefined : t('forgot.subtitle')}
      footer={
        <Anchor component={Link} to="/login">
          {t('common.backToLogin')}
        </Anchor>
      }
    >
      {sentTo ? (
        <Alert color="green" variant="light" role="status" title={t('forgot.sentTitle')} data-testid="forgot-sent">
          {t('forgot.sentText', { email: sentTo })}
        </Alert>
      ) : (
        <form
          noValidate
          onSubmit={form.onSubmit(async (values) => {
            setError(null);
            try {
              await authApi.requestPasswordReset(values.email.trim());
              setSentTo(values.email.trim());
            } catch (e) {
              setError(applyApiError(form, e));
            }
          })}
        >
          <Stack gap="md">
            <ErrorAlert message={error} />
            <TextInput label={t('fields.email')} type="email" autoComplete="email" required autoFocus {...form.getInputProps('email')} />
            <Button type="submit" fullWidth loading={form.submitting} data-testid="forgot-submit">
              {t('forgot.submit')}
            </Button>
          </Stack>
        </form>
      )}
    </AuthCard>
  );
}
