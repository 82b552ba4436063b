import i18n from 'i18next';
import { lazy, Suspense, useRef, useState } from 'react';
import { PasswordField } from '../../components/password-field.tsx';
import { Alert, Anchor, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { AuthCard } from '../../components/auth-card.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { applyApiError, isApiError } from '../../lib/errors.ts';
import { required, validEmail } from '../../lib/validation.ts';
import { ME_KEY } from '../session/session.ts';
import { authApi } from './auth-api.ts';
import { ResendVerificationButton } from './resend-verification.tsx';
import { loadTexts } from '../../i18n/index.ts';

/** The code step comes only to accounts with two-factor authentication, after their password: not with the first page. */
const loadCodeStep = () => import('../two-factor/code-step.tsx');
const CodeStep = lazy(async () => ({ default: (await loadCodeStep()).CodeStep }));

export function LoginPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [unverifiedEmail, setUnverifiedEmail] = useState<string | null>(null);
  /** The password was right and the account asks for a second factor: the code step. */
  const [codeStep, setCodeStep] = useState(false);
  const ssoRef = useRef(false);
  const form = useForm({
    initialValues: { email: params.get('email') ?? '', password: '' },
    // The password is not asked of an address that signs in through its identity provider.
    validate: { email: validEmail, password: (value) => (ssoRef.current ? null : required(value)) },
  });

  // As the address is typed, its domain is checked: a domain with an identity provider gets no password field.
  const [typed] = useDebouncedValue(form.values.email.trim(), 300);
  const domain = validEmail(typed) === null ? typed.slice(typed.lastIndexOf('@') + 1).toLowerCase() : null;
  const lookup = useQuery({ queryKey: ['sso-lookup', domain], queryFn: () => authApi.ssoLookup(typed), enabled: domain !== null, staleTime: 60_000 });
  const sso = domain !== null && lookup.data?.sso === true;
  ssoRef.current = sso;
  const [redirecting, setRedirecting] = useState(false);
  const ssoError = params.get('error');
  const ssoErrorKey = `login.sso.errors.${ssoError}`;

  const continueWithSso = async () => {
    setError(null);
    setRedirecting(true);
    try {
      const { url } = await authApi.signInSso(form.values.email.trim());
      window.location.assign(url);
    } catch (e) {
      setRedirecting(false);
      setError(applyApiError(form, e));
    }
  };

  const notice = params.get('reset') === 'done' ? t('login.passwordChanged') : params.get('invited') === 'accepted' ? t('login.invitationAccepted') : null;

  const submit = form.onSubmit(async (values) => {
    if (sso) return continueWithSso();
    setError(null);
    setUnverifiedEmail(null);
    const email = values.email.trim();
    try {
      const result = await authApi.signIn({ email, password: values.password });
      if ((result as { twoFactorRedirect?: boolean } | null)?.twoFactorRedirect) {
        form.setFieldValue('password', '');
        await Promise.all([loadTexts('account'), loadCodeStep()]);
        setCodeStep(true);
        return;
      }
      // The guard around this page sends the user on once the session is known.
      await queryClient.refetchQueries({ queryKey: ME_KEY });
    } catch (e) {
      if (isApiError(e, 'auth.email_not_verified')) {
        setUnverifiedEmail(email);
        return;
      }
      setError(applyApiError(form, e));
    }
  });

  return (
    <AuthCard
      testId="page-login"
      title={codeStep ? t('twoFactor.codeStepTitle') : t('login.title')}
      subtitle={codeStep ? undefined : t('login.subtitle')}
      footer={
        <>
          {t('login.noAccount')}{' '}
          <Anchor component={Link} to="/signup" fw={500}>
            {t('login.createAccount')}
          </Anchor>
        </>
      }
    >
      {notice && (
        <Alert color="green" variant="light" role="status" data-testid="login-notice">
          {notice}
        </Alert>
      )}
      {unverifiedEmail && (
        <Alert color="yellow" variant="light" title={t('login.notVerifiedTitle')} role="alert" data-testid="login-not-verified">
          <Stack gap="sm">
            <Text fz="sm">{t('login.notVerifiedText', { email: unverifiedEmail })}</Text>
            <ResendVerificationButton email={unverifiedEmail} />
          </Stack>
        </Alert>
      )}
      {ssoError && (
        <Alert color="red" variant="light" role="alert" data-testid="login-sso-error">
          {i18n.exists(ssoErrorKey) ? (t as unknown as (key: string) => string)(ssoErrorKey) : t('login.sso.failed')}
        </Alert>
      )}
      <ErrorAlert message={error} />
      {codeStep ? (
        <Suspense>
          <CodeStep
            onRestart={(message) => {
              setError(message);
              setCodeStep(false);
            }}
          />
        </Suspense>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            <TextInput label={t('fields.email')} type="email" autoComplete="email" required autoFocus {...form.getInputProps('email')} />
            {sso ? (
              <>
                <Text fz="sm" c="dimmed" data-testid="login-sso-hint">
                  {t('login.sso.hint')}
                </Text>
                <Button
                  type="submit"
                  fullWidth
                  loading={redirecting}
                  data-testid="login-sso"
                  h="auto"
                  mih={36}
                  py={6}
                  styles={{ label: { whiteSpace: 'normal', overflow: 'visible', textAlign: 'center', lineHeight: 1.3 } }}
                >
                  {t('login.sso.continue')}
                </Button>
              </>
            ) : (
              <>
                <PasswordField label={t('fields.password')} autoComplete="current-password" required {...form.getInputProps('password')} />
                <Group justify="flex-end" mt={-6}>
                  <Anchor component={Link} to="/forgot-password" fz="sm">
                    {t('login.forgotPassword')}
                  </Anchor>
                </Group>
                <Button type="submit" fullWidth loading={form.submitting} data-testid="login-submit">
                  {t('login.submit')}
                </Button>
              </>
            )}
          </Stack>
        </form>
      )}
    </AuthCard>
  );
}
