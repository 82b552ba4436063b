import { useState } from 'react';
import { Alert, Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { AuthCard } from '../../components/auth-card.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { NewPasswordField } from '../../components/password-field.tsx';
import { currentLanguage } from '../../i18n/index.ts';
import { applyApiError } from '../../lib/errors.ts';
import { newPassword, required, validEmail } from '../../lib/validation.ts';
import { authApi } from './auth-api.ts';

export function SignupPage() {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const form = useForm({
    initialValues: { name: '', email: '', password: '' },
    validate: { name: required, email: validEmail, password: newPassword },
  });

  if (sentTo) {
    return (
      <AuthCard testId="page-signup-sent" title={t('signup.sentTitle')}>
        <Alert color="green" variant="light" role="status" data-testid="signup-sent">
          <Stack gap="xs">
            <Text fz="sm">{t('signup.sentText', { email: sentTo })}</Text>
            <Text fz="sm" c="dimmed">
              {t('signup.sentHint')}
            </Text>
          </Stack>
        </Alert>
        <Button component={Link} to="/login" variant="light">
          {t('common.toLogin')}
        </Button>
      </AuthCard>
    );
  }

  return (
    <AuthCard
      testId="page-signup"
      title={t('signup.title')}
      subtitle={t('signup.subtitle')}
      footer={
        <>
          {t('signup.haveAccount')}{' '}
          <Anchor component={Link} to="/login" fw={500}>
            {t('signup.login')}
          </Anchor>
        </>
      }
    >
      <ErrorAlert message={error} />
      <form
        noValidate
        onSubmit={form.onSubmit(async (values) => {
          setError(null);
          const email = values.email.trim();
          try {
            await authApi.signUp({ name: values.name.trim(), email, password: values.password, language: currentLanguage() });
            setSentTo(email);
          } catch (e) {
            setError(applyApiError(form, e));
          }
        })}
      >
        <Stack gap="md">
          <TextInput label={t('fields.name')} autoComplete="name" required autoFocus {...form.getInputProps('name')} />
          <TextInput
            label={t('fields.workEmail')}
            description={t('signup.emailHint')}
            type="email"
            autoComplete="email"
            required
            {...form.getInputProps('email')}
          />
          <NewPasswordField label={t('fields.password')} required {...form.getInputProps('password')} />
          <Button type="submit" fullWidth loading={form.submitting} data-testid="signup-submit">
            {t('signup.submit')}
          </Button>
        </Stack>
      </form>
    </AuthCard>
  );
}
