import { useMemo, useState } from 'react';
import { Button, Code, Group, Image, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { renderSVG } from 'uqr';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { PasswordField } from '../../components/password-field.tsx';
import { i18n } from '../../i18n/index.ts';
import { applyApiError } from '../../lib/errors.ts';
import { required } from '../../lib/validation.ts';
import { BackupCodes } from './backup-codes.tsx';
import { codeProblem, manualKeyOf, twoFactorApi } from './two-factor-api.ts';

type Enrollment = { totpURI: string; backupCodes: string[] };

/** The QR code of the otpauth:// URI, drawn as SVG in the browser (the key never leaves it as an image request). */
function QrCode({ uri }: { uri: string }) {
  const { t } = useTranslation();
  const src = useMemo(() => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(renderSVG(uri, { border: 2 }))}`, [uri]);
  return <Image src={src} alt={t('twoFactor.qrAlt')} w={200} h={200} fit="contain" data-testid="two-factor-qr" />;
}

/** Enrollment: the password, then the QR code (or the key by hand) and a first code, then the backup codes shown once. */
export function EnrollFlow({ onDone, onCancel }: { onDone: () => void; onCancel?: () => void }) {
  const { t } = useTranslation();
  const [enrollment, setEnrollment] = useState<Enrollment | null>(null);
  const [verified, setVerified] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const passwordForm = useForm({ initialValues: { password: '' }, validate: { password: required } });
  const codeForm = useForm({ initialValues: { code: '' }, validate: { code: (value) => codeProblem(value, i18n.t('twoFactor.codeHint')) } });

  if (enrollment && verified) return <BackupCodes codes={enrollment.backupCodes} onDone={onDone} />;

  if (enrollment) {
    return (
      <form
        noValidate
        onSubmit={codeForm.onSubmit(async (values) => {
          setError(null);
          try {
            await twoFactorApi.verifyCode(values.code);
            setVerified(true);
          } catch (e) {
            setError(applyApiError(codeForm, e));
          }
        })}
      >
        <Stack gap="md">
          <Title order={3} fz="md">
            {t('twoFactor.scanTitle')}
          </Title>
          <Text fz="sm" c="dimmed">
            {t('twoFactor.scanText')}
          </Text>
          <QrCode uri={enrollment.totpURI} />
          <Stack gap={4}>
            <Text fz="sm">{t('twoFactor.manualKey')}</Text>
            <Code fz="sm" style={{ wordBreak: 'break-all' }} data-testid="two-factor-key">
              {manualKeyOf(enrollment.totpURI)}
            </Code>
          </Stack>
          <ErrorAlert message={error} />
          <TextInput
            label={t('twoFactor.code')}
            description={t('twoFactor.codeHint')}
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={7}
            required
            data-testid="two-factor-code"
            {...codeForm.getInputProps('code')}
          />
          <Group justify="flex-end">
            {onCancel && (
              <Button variant="default" onClick={onCancel}>
                {t('twoFactor.cancel')}
              </Button>
            )}
            <Button type="submit" loading={codeForm.submitting} data-testid="two-factor-verify">
              {t('twoFactor.verify')}
            </Button>
          </Group>
        </Stack>
      </form>
    );
  }

  return (
    <form
      noValidate
      onSubmit={passwordForm.onSubmit(async (values) => {
        setError(null);
        try {
          setEnrollment(await twoFactorApi.enable(values.password));
        } catch (e) {
          setError(applyApiError(passwordForm, e));
        }
      })}
    >
      <Stack gap="md">
        <Text fz="sm">{t('twoFactor.passwordText')}</Text>
        <ErrorAlert message={error} />
        <PasswordField
          label={t('twoFactor.password')}
          autoComplete="current-password"
          required
          data-testid="two-factor-password"
          {...passwordForm.getInputProps('password')}
        />
        <Group justify="flex-end">
          {onCancel && (
            <Button variant="default" onClick={onCancel}>
              {t('twoFactor.cancel')}
            </Button>
          )}
          <Button type="submit" loading={passwordForm.submitting} data-testid="two-factor-continue">
            {t('twoFactor.continue')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
