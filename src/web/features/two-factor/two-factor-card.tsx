import { useState } from 'react';
import { Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Me } from '#shared/api.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { PasswordField } from '../../components/password-field.tsx';
import { i18n } from '../../i18n/index.ts';
import { applyApiError } from '../../lib/errors.ts';
import { required } from '../../lib/validation.ts';
import { ME_KEY } from '../session/session.ts';
import { BackupCodes } from './backup-codes.tsx';
import { EnrollFlow } from './enroll-flow.tsx';
import { twoFactorApi } from './two-factor-api.ts';

/** A password asked before turning off or replacing the backup codes. */
function PasswordStep({
  title,
  text,
  submitLabel,
  danger,
  onSubmit,
  onCancel,
}: {
  title: string;
  text?: string;
  submitLabel: string;
  danger?: boolean;
  onSubmit: (password: string) => Promise<void>;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const form = useForm({ initialValues: { password: '' }, validate: { password: required } });
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async (values) => {
        setError(null);
        try {
          await onSubmit(values.password);
        } catch (e) {
          setError(applyApiError(form, e));
        }
      })}
    >
      <Stack gap="sm">
        <Title order={3} fz="md">
          {title}
        </Title>
        {text && <Text fz="sm">{text}</Text>}
        <ErrorAlert message={error} />
        <PasswordField
          label={t('twoFactor.password')}
          autoComplete="current-password"
          required
          data-testid="two-factor-password"
          {...form.getInputProps('password')}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            {t('twoFactor.cancel')}
          </Button>
          <Button type="submit" color={danger ? 'red' : undefined} loading={form.submitting} data-testid="two-factor-confirm">
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

type Mode = { kind: 'idle' } | { kind: 'enroll' } | { kind: 'disable' } | { kind: 'regenerate' } | { kind: 'codes'; codes: string[] };

/** The profile's "Two-factor authentication" section: turn on (with the QR code), replace the backup codes, turn off. */
export function TwoFactorCard({ me }: { me: Me }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<Mode>({ kind: 'idle' });
  const { enabled, required: isRequired } = me.twoFactor;
  const idle = () => setMode({ kind: 'idle' });
  const refreshMe = () => queryClient.invalidateQueries({ queryKey: ME_KEY });

  return (
    <Card withBorder padding="lg" component="section" aria-labelledby="profile-two-factor-title" data-testid="profile-two-factor">
      <Stack gap="md">
        <div>
          <Group gap="xs" justify="space-between">
            <Title order={2} fz="lg" id="profile-two-factor-title">
              {t('twoFactor.title')}
            </Title>
            <Group gap={6}>
              {isRequired && (
                <Badge variant="outline" color="gray">
                  {t('twoFactor.requiredBadge')}
                </Badge>
              )}
              <Badge variant="light" color={enabled ? 'green' : 'gray'} data-testid="two-factor-status">
                {enabled ? t('twoFactor.on') : t('twoFactor.off')}
              </Badge>
            </Group>
          </Group>
          <Text fz="sm" c="dimmed">
            {t('twoFactor.text')}
          </Text>
          {isRequired && (
            <Text fz="sm" c="dimmed">
              {t('twoFactor.requiredText')}
            </Text>
          )}
        </div>

        {mode.kind === 'idle' && (
          <Group justify="flex-end" gap="xs">
            {enabled ? (
              <>
                <Button variant="default" onClick={() => setMode({ kind: 'regenerate' })} data-testid="two-factor-regenerate">
                  {t('twoFactor.regenerate')}
                </Button>
                {!isRequired && (
                  <Button variant="default" color="red" onClick={() => setMode({ kind: 'disable' })} data-testid="two-factor-disable">
                    {t('twoFactor.disable')}
                  </Button>
                )}
              </>
            ) : (
              <Button onClick={() => setMode({ kind: 'enroll' })} data-testid="two-factor-enable">
                {t('twoFactor.enable')}
              </Button>
            )}
          </Group>
        )}
        {mode.kind === 'enroll' && (
          <EnrollFlow
            onCancel={idle}
            onDone={() => {
              idle();
              notifications.show({ color: 'green', message: i18n.t('twoFactor.enabled') });
              void refreshMe();
            }}
          />
        )}
        {mode.kind === 'disable' && (
          <PasswordStep
            title={t('twoFactor.disableTitle')}
            submitLabel={t('twoFactor.disable')}
            danger
            onCancel={idle}
            onSubmit={async (password) => {
              await twoFactorApi.disable(password);
              idle();
              notifications.show({ color: 'green', message: i18n.t('twoFactor.disabled') });
              await refreshMe();
            }}
          />
        )}
        {mode.kind === 'regenerate' && (
          <PasswordStep
            title={t('twoFactor.regenerateTitle')}
            text={t('twoFactor.regenerateText')}
            submitLabel={t('twoFactor.regenerate')}
            onCancel={idle}
            onSubmit={async (password) => setMode({ kind: 'codes', codes: (await twoFactorApi.regenerateBackupCodes(password)).backupCodes })}
          />
        )}
        {mode.kind === 'codes' && <BackupCodes codes={mode.codes} onDone={idle} />}
      </Stack>
    </Card>
  );
}
