import { useState } from 'react';
import { Alert, Badge, Button, Checkbox, Code, CopyButton, Group, Modal, Select, Stack, Table, Text, TextInput, VisuallyHidden } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { API_TOKEN_EXPIRIES, API_TOKEN_SCOPES, DEFAULT_API_TOKEN_EXPIRY_DAYS, type ApiTokenScope } from '#shared/api-tokens-api.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useDateFormat } from '../../lib/dates.ts';
import { applyApiError } from '../../lib/errors.ts';
import { required } from '../../lib/validation.ts';
import type { ApiToken, CreateApiToken, CreatedApiToken } from './api-tokens-api.ts';

const NEVER = 'never';

/**
 * The form of a new token: its name, scopes and lifetime (30, 90 or 365 days, or never; 90 by
 * default). `adminScope`: whether the owner may have the admin scope (administrators only).
 */
export function CreateTokenModal({
  opened,
  onClose,
  title,
  adminScope,
  create,
  onCreated,
}: {
  opened: boolean;
  onClose: () => void;
  title: string;
  adminScope: boolean;
  create: (body: CreateApiToken) => Promise<CreatedApiToken>;
  onCreated: (created: CreatedApiToken) => void;
}) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const form = useForm({
    initialValues: { name: '', scopes: ['requests:read'] as ApiTokenScope[], expiry: String(DEFAULT_API_TOKEN_EXPIRY_DAYS) },
    validate: { name: required, scopes: (value) => (value.length === 0 ? t('apiTokens.scopesRequired') : null) },
  });
  const scopes = API_TOKEN_SCOPES.filter((scope) => scope !== 'admin' || adminScope);
  const close = () => {
    form.reset();
    setError(null);
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title={title}>
      <form
        noValidate
        onSubmit={form.onSubmit(async (values) => {
          setError(null);
          try {
            const created = await create({
              name: values.name.trim(),
              scopes: values.scopes,
              expiresInDays: values.expiry === NEVER ? null : (Number(values.expiry) as 30 | 90 | 365),
            });
            form.reset();
            onCreated(created);
          } catch (e) {
            setError(applyApiError(form, e));
          }
        })}
      >
        <Stack gap="md">
          <ErrorAlert message={error} />
          <TextInput label={t('apiTokens.name')} description={t('apiTokens.nameHint')} required data-testid="token-name" {...form.getInputProps('name')} />
          <Checkbox.Group label={t('apiTokens.scopes')} required {...form.getInputProps('scopes')}>
            <Stack gap="xs" mt="xs">
              {scopes.map((scope) => (
                <Checkbox
                  key={scope}
                  value={scope}
                  label={t(`apiTokens.scopeNames.${scopeKey(scope)}`)}
                  description={t(`apiTokens.scopeHints.${scopeKey(scope)}`)}
                  data-testid={`token-scope-${scopeKey(scope)}`}
                />
              ))}
            </Stack>
          </Checkbox.Group>
          <Select
            label={t('apiTokens.expiry')}
            data={[
              ...API_TOKEN_EXPIRIES.map((days) => ({ value: String(days), label: t('apiTokens.expiryDays', { count: days }) })),
              { value: NEVER, label: t('apiTokens.expiryNever') },
            ]}
            allowDeselect={false}
            data-testid="token-expiry"
            {...form.getInputProps('expiry')}
          />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={form.submitting} data-testid="token-create-submit">
              {t('apiTokens.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** i18next keys cannot hold a colon. */
export const scopeKey = (scope: ApiTokenScope) => scope.replace(':', '_') as 'requests_read' | 'requests_write' | 'admin';

/** The secret of a token just created, shown this once, with a copy button. */
export function SecretModal({ created, onClose }: { created: CreatedApiToken | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={created !== null} onClose={onClose} title={t('apiTokens.secretTitle', { name: created?.token.name ?? '' })} closeOnClickOutside={false}>
      {created && (
        <Stack gap="md">
          <Alert color="yellow" variant="light" title={t('apiTokens.secretWarningTitle')}>
            {t('apiTokens.secretWarning')}
          </Alert>
          <Code block data-testid="token-secret" style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
            {created.secret}
          </Code>
          <Text fz="sm" c="dimmed">
            {t('apiTokens.secretUsage')}
          </Text>
          <Group justify="flex-end" gap="sm">
            <CopyButton value={created.secret}>
              {({ copied, copy }) => (
                <Button variant="light" color={copied ? 'green' : undefined} onClick={copy} data-testid="token-copy">
                  {copied ? t('apiTokens.copied') : t('apiTokens.copy')}
                </Button>
              )}
            </CopyButton>
            <Button onClick={onClose} data-testid="token-secret-done">
              {t('apiTokens.secretDone')}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

const STATUS_COLOR = { active: 'green', expired: 'gray', revoked: 'red' } as const;

/** One token: name, prefix, scopes, expiry, last use, status, and a revoke button that asks first. */
export function TokenRow({ token, showOwner, revoke, revoking }: { token: ApiToken; showOwner: boolean; revoke: () => void; revoking: boolean }) {
  const { t } = useTranslation();
  const dates = useDateFormat();
  const [confirming, setConfirming] = useState(false);
  return (
    <Table.Tr data-testid="token-row" data-prefix={token.prefix} data-status={token.status}>
      <Table.Td>
        <Text fz="sm" fw={500}>
          {token.name}
        </Text>
        <Code fz="xs">{token.prefix}…</Code>
      </Table.Td>
      {showOwner && (
        <Table.Td>
          <Text fz="sm">{token.owner.name}</Text>
          <Text fz="xs" c="dimmed">
            {t(`apiTokens.kinds.${token.kind}`)}
          </Text>
        </Table.Td>
      )}
      <Table.Td>
        <Group gap={4}>
          {token.scopes.map((scope) => (
            <Badge key={scope} variant="light" size="sm" tt="none">
              {scope}
            </Badge>
          ))}
        </Group>
      </Table.Td>
      <Table.Td fz="sm">{token.expiresAt ? dates.date(token.expiresAt) : t('apiTokens.expiryNever')}</Table.Td>
      <Table.Td fz="sm">{token.lastUsedAt ? dates.dateTime(token.lastUsedAt) : t('apiTokens.neverUsed')}</Table.Td>
      <Table.Td>
        <Badge color={STATUS_COLOR[token.status]} variant="light">
          {t(`apiTokens.statuses.${token.status}`)}
        </Badge>
      </Table.Td>
      <Table.Td ta="right">
        {token.status !== 'revoked' && (
          <Button
            size="xs"
            variant="subtle"
            color="red"
            onClick={() => setConfirming(true)}
            loading={revoking}
            aria-label={t('apiTokens.revokeLabel', { name: token.name })}
            data-testid="token-revoke"
          >
            {t('apiTokens.revoke')}
          </Button>
        )}
        <Modal opened={confirming} onClose={() => setConfirming(false)} title={t('apiTokens.revokeTitle', { name: token.name })}>
          <Stack gap="md">
            <Text fz="sm">{t('apiTokens.revokeText')}</Text>
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={() => setConfirming(false)}>
                {t('common.cancel')}
              </Button>
              <Button
                color="red"
                data-testid="token-revoke-confirm"
                onClick={() => {
                  setConfirming(false);
                  revoke();
                }}
              >
                {t('apiTokens.revoke')}
              </Button>
            </Group>
          </Stack>
        </Modal>
      </Table.Td>
    </Table.Tr>
  );
}

/** The header of a token table (the owner column for administrators). */
export function TokenHead({ showOwner }: { showOwner: boolean }) {
  const { t } = useTranslation();
  return (
    <Table.Thead>
      <Table.Tr>
        <Table.Th>{t('apiTokens.name')}</Table.Th>
        {showOwner && <Table.Th>{t('apiTokens.owner')}</Table.Th>}
        <Table.Th>{t('apiTokens.scopes')}</Table.Th>
        <Table.Th>{t('apiTokens.expires')}</Table.Th>
        <Table.Th>{t('apiTokens.lastUsed')}</Table.Th>
        <Table.Th>{t('apiTokens.status')}</Table.Th>
        <Table.Th>
          <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
        </Table.Th>
      </Table.Tr>
    </Table.Thead>
  );
}
