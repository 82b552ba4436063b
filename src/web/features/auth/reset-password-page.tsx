import { useState } from 'react';
import { Alert, Anchor, Button, Stack, Text } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { AuthCard } from '../../components/auth-card.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { NewPasswordField, PasswordField } from '../../components/password-field.tsx';
import { ApiError } from '../../lib/api.ts';
import { applyApiError, errorMessage } from '../../lib/errors.ts';
import { newPassword, sameAs } from '../../lib/validation.ts';
import { ME_KEY } from '../session/session.ts';
import { authApi } from './auth-api.ts';

function InvalidLink({ message }: { message: string }) {
  const { t } = useTranslation();
  return (
    <AuthCard testId="page-reset-invalid" title={t('reset.invalidTitle')}>
      <Alert color="yellow" variant="light" role="alert" data-testid="reset-invalid">
        <Stack gap="xs">
          <Text fz="sm">{message}</Text>
          <Anchor component={Link} to="/forgot-password" fz="sm" fw={600} data-testid="reset-ask-again">
            {t('reset.askAgain')}
          </Anchor>
        </Stack>
      </Alert>
    </AuthCard>
  );
}

export function ResetPasswordPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const token = params.get('token');
  const [error, setError] = useState<string | null>(null);
  const [tokenProblem, setTokenProblem] = useState<string | null>(null);
  const form = useForm({
    initialValues: { newPassword: '', confirmation: '' },
    validate: { newPassword, confirmation: sameAs('newPassword') },
  });

  if (params.get('error') || !token) return <InvalidLink message={t('reset.invalidText')} />;
  if (tokenProblem) return <InvalidLink message={tokenProblem} />;

  return (
    <AuthCard testId="page-reset-password" title={t('reset.title')} subtitle={t('reset.subtitle')}>
      <ErrorAlert message={error} />
      <form
        noValidate
        onSubmit={form.onSubmit(async (values) => {
          setError(null);
          try {
            await authApi.resetPassword({ token, newPassword: values.newPassword });
            // Every session of the account ends with a reset.
            queryClient.setQueryData(ME_KEY, null);
            void navigate('/login?reset=done', { replace: true });
          } catch (e) {
            if (e instanceof ApiError && e.field === 'token') {
              setTokenProblem(e.code === 'validation.invalid' ? t('reset.invalidText') : errorMessage(e));
              return;
            }
            setError(applyApiError(form, e));
          }
        })}
      >
        <Stack gap="md">
          <NewPasswordField label={t('fields.newPassword')} required autoFocus {...form.getInputProps('newPassword')} />
          <PasswordField label={t('fields.confirmPassword')} autoComplete="new-password" required {...form.getInputProps('confirmation')} />
          <Button type="submit" fullWidth loading={form.submitting} data-testid="reset-submit">
            {t('reset.submit')}
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
