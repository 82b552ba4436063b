import { useState } from 'react';
import { Alert, Button, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { applyApiError, errorMessage } from '../../lib/errors.ts';
import { validEmail } from '../../lib/validation.ts';
import { authApi } from './auth-api.ts';

function SentNotice({ email }: { email: string }) {
  const { t } = useTranslation();
  return (
    <Alert color="green" variant="light" title={t('verify.resentTitle')} role="status" data-testid="verification-resent">
      {t('verify.resentText', { email })}
    </Alert>
  );
}

/** "Send the link again" for an address we already know (after a refused log-in). */
export function ResendVerificationButton({ email }: { email: string }) {
  const { t } = useTranslation();
  const [state, setState] = useState<{ sending: boolean; sent: boolean; error: string | null }>({ sending: false, sent: false, error: null });
  if (state.sent) return <SentNotice email={email} />;
  const send = async () => {
    setState({ sending: true, sent: false, error: null });
    try {
      await authApi.sendVerificationEmail(email);
      setState({ sending: false, sent: true, error: null });
    } catch (error) {
      setState({ sending: false, sent: false, error: errorMessage(error) });
    }
  };
  return (
    <Stack gap="xs">
      <ErrorAlert message={state.error} />
      <Button variant="light" onClick={send} loading={state.sending} data-testid="resend-verification">
        {t('verify.resend')}
      </Button>
    </Stack>
  );
}

/** Asks for a new verification link for an address typed in. */
export function ResendVerificationForm({ initialEmail = '' }: { initialEmail?: string }) {
  const { t } = useTranslation();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const form = useForm({ initialValues: { email: initialEmail }, validate: { email: validEmail } });
  if (sentTo) return <SentNotice email={sentTo} />;
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async (values) => {
        setError(null);
        try {
          await authApi.sendVerificationEmail(values.email.trim());
          setSentTo(values.email.trim());
        } catch (e) {
          setError(applyApiError(form, e));
        }
      })}
    >
      <Stack gap="sm">
        <ErrorAlert message={error} />
        <TextInput label={t('fields.email')} type="email" autoComplete="email" required {...form.getInputProps('email')} />
        <Button type="submit" loading={form.submitting} data-testid="resend-verification">
          {t('verify.resend')}
        </Button>
      </Stack>
    </form>
  );
}
