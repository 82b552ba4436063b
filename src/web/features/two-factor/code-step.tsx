import { useState } from 'react';
import { Anchor, Button, Checkbox, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { i18n } from '../../i18n/index.ts';
import { applyApiError, isApiError } from '../../lib/errors.ts';
import { required } from '../../lib/validation.ts';
import { ME_KEY } from '../session/session.ts';
import { codeProblem, twoFactorApi } from './two-factor-api.ts';

/** The log-in's second step: a code from the app or a backup code, and "trust this device". */
export function CodeStep({ onRestart }: { onRestart: (message: string | null) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [backup, setBackup] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { code: '', trustDevice: false },
    validate: { code: (value) => (backup ? required(value) : codeProblem(value, i18n.t('twoFactor.codeHint'))) },
  });
  return (
    <form
      noValidate
      data-testid="login-code-step"
      onSubmit={form.onSubmit(async (values) => {
        setError(null);
        try {
          if (backup) await twoFactorApi.verifyBackupCode(values.code, values.trustDevice);
          else await twoFactorApi.verifyCode(values.code, values.trustDevice);
          // The guard around the log-in page sends the user on once the session is known.
          await queryClient.refetchQueries({ queryKey: ME_KEY });
        } catch (e) {
          // The log-in in progress is over (expired, or too many wrong codes): the password again.
          if (isApiError(e, 'auth.invalid_two_factor_cookie') || isApiError(e, 'auth.too_many_attempts_request_new_code')) {
            onRestart(applyApiError(form, e));
            return;
          }
          setError(applyApiError(form, e));
        }
      })}
    >
      <Stack gap="md">
        <Text fz="sm">{backup ? t('twoFactor.backupStepText') : t('twoFactor.codeStepText')}</Text>
        <ErrorAlert message={error} />
        <TextInput
          key={backup ? 'backup' : 'app'}
          label={backup ? t('twoFactor.backupCode') : t('twoFactor.code')}
          inputMode={backup ? 'text' : 'numeric'}
          autoComplete="one-time-code"
          autoFocus
          required
          data-testid="login-code"
          {...form.getInputProps('code')}
        />
        <Checkbox
          label={t('twoFactor.trustDevice')}
          description={t('twoFactor.trustDeviceHint')}
          data-testid="login-trust-device"
          {...form.getInputProps('trustDevice', { type: 'checkbox' })}
        />
        <Button type="submit" fullWidth loading={form.submitting} data-testid="login-code-submit">
          {t('twoFactor.submit')}
        </Button>
        <Stack gap={4} align="center">
          <Anchor
            component="button"
            type="button"
            fz="sm"
            onClick={() => {
              setBackup(!backup);
              setError(null);
              form.setFieldValue('code', '');
              form.clearErrors();
            }}
            data-testid="login-use-backup"
          >
            {backup ? t('twoFactor.useApp') : t('twoFactor.useBackup')}
          </Anchor>
          <Anchor component="button" type="button" fz="sm" c="dimmed" onClick={() => onRestart(null)}>
            {t('twoFactor.restart')}
          </Anchor>
        </Stack>
      </Stack>
    </form>
  );
}
