import { useState } from 'react';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Center,
  Group,
  Loader,
  Modal,
  Paper,
  Popover,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { i18n } from '../../i18n/index.ts';
import { applyScopedApiError, scopedErrorMessage } from '../../lib/scoped-errors.ts';
import { schemaRules } from '../../lib/schema-validation.ts';
import { createFlexWindowSchema } from '#shared/catalog-api.ts';
import { useBusinessToday, useDateFormat } from '../../lib/dates.ts';
import { adminKeys, type Organization } from './admin-api.ts';
import { catalogApi, catalogKeys, type FlexContract } from './catalog-api.ts';
import { ListTable } from '../../components/list-table.tsx';
import { useSubmission } from '../../lib/submission.ts';

/** "Own requests only": members then see only the requests they reported or take part in. */
export function OwnRequestsSwitch({ organization }: { organization: Organization }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const update = useMutation({
    mutationFn: (ownRequestsOnly: boolean) => catalogApi.updateOrganizationSettings(organization.id, { ownRequestsOnly }),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: adminKeys.organizations });
      notifications.show({
        color: 'green',
        message: saved.ownRequestsOnly
          ? i18n.t('catalog.organizations.ownRequestsOn', { name: saved.name })
          : i18n.t('catalog.organizations.ownRequestsOff', { name: saved.name }),
      });
    },
    onError: (error) =>
      notifications.show({
        color: 'red',
        title: i18n.t('catalog.organizations.settingsFailed', { name: organization.name }),
        message: scopedErrorMessage(error, 'catalog'),
      }),
  });
  const checked = update.isPending ? update.variables : organization.ownRequestsOnly;
  return (
    <Tooltip label={t('catalog.organizations.ownRequestsHint')} multiline w={280} openDelay={400}>
      <Switch
        checked={checked}
        disabled={update.isPending}
        onChange={(event) => update.mutate(event.currentTarget.checked)}
        aria-label={t('catalog.organizations.ownRequestsOf', { name: organization.name })}
        data-testid="organization-own-requests"
      />
    </Tooltip>
  );
}

/** Two-factor authentication required of the organization's members. */
export function TwoFactorRequiredSwitch({ organization }: { organization: Organization }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const update = useMutation({
    mutationFn: (twoFactorRequired: boolean) => catalogApi.updateOrganizationSettings(organization.id, { twoFactorRequired }),
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: adminKeys.organizations });
      notifications.show({
        color: 'green',
        message: saved.twoFactorRequired
          ? i18n.t('twoFactor.admin.organizationOn', { name: saved.name })
          : i18n.t('twoFactor.admin.organizationOff', { name: saved.name }),
      });
    },
    onError: (error) =>
      notifications.show({
        color: 'red',
        title: i18n.t('catalog.organizations.settingsFailed', { name: organization.name }),
        message: scopedErrorMessage(error, 'catalog'),
      }),
  });
  const checked = update.isPending ? update.variables : organization.twoFactorRequired;
  return (
    <Tooltip label={t('twoFactor.admin.organizationHint')} multiline w={280} openDelay={400}>
      <Switch
        checked={checked}
        disabled={update.isPending}
        onChange={(event) => update.mutate(event.currentTarget.checked)}
        aria-label={t('twoFactor.admin.organizationOf', { name: organization.name })}
        data-testid="organization-two-factor"
      />
    </Tooltip>
  );
}

type WindowState = 'current' | 'upcoming' | 'past';
const windowState = (window: { startsOn: string; endsOn: string }, today: string): WindowState =>
  window.endsOn < today ? 'past' : window.startsOn > today ? 'upcoming' : 'current';
const stateColors = { current: 'green', upcoming: 'blue', past: 'gray' } as const;

const windowRules = schemaRules<{ startsOn: string; endsOn: string }>(createFlexWindowSchema);

function AddWindowForm({ organizationId }: { organizationId: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const submission = useSubmission();
  const form = useForm({
    initialValues: { startsOn: '', endsOn: '' },
    validate: (values) => {
      const errors = windowRules(values);
      // The server refuses an end before the start too (catalog.flex.window_inverted), not the schema.
      if (!errors.startsOn && !errors.endsOn && values.endsOn < values.startsOn) errors.endsOn = i18n.t('catalog.errors.flex.window_inverted');
      return errors;
    },
  });
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async (values) => {
        setError(null);
        try {
          const contract = await submission(values, (key) => catalogApi.addFlexWindow(organizationId, values, key));
          queryClient.setQueryData(catalogKeys.flexContract(organizationId), contract);
          notifications.show({ color: 'green', message: i18n.t('catalog.flex.added') });
          form.reset();
        } catch (e) {
          setError(applyScopedApiError(form, e, 'catalog'));
        }
      })}
    >
      <Paper withBorder p="sm" bg="var(--mantine-color-gray-0)">
        <Stack gap="sm">
          <Title order={3} fz="sm">
            {t('catalog.flex.addTitle')}
          </Title>
          <ErrorAlert message={error} />
          <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm" style={{ alignItems: 'start' }}>
            <TextInput type="date" label={t('catalog.flex.startsOn')} required data-testid="flex-starts-on" {...form.getInputProps('startsOn')} />
            <TextInput type="date" label={t('catalog.flex.endsOn')} required data-testid="flex-ends-on" {...form.getInputProps('endsOn')} />
            <Button type="submit" loading={form.submitting} mt={{ base: 0, xs: 25 }} data-testid="flex-add">
              {t('catalog.flex.add')}
            </Button>
          </SimpleGrid>
          <Text fz="xs" c="dimmed">
            {t('catalog.flex.addHint')}
          </Text>
        </Stack>
      </Paper>
    </form>
  );
}

function WindowRow({ organizationId, window, today }: { organizationId: string; window: FlexContract['windows'][number]; today: string }) {
  const { t } = useTranslation();
  const formatDay = useDateFormat().day;
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const remove = useMutation({
    mutationFn: () => catalogApi.removeFlexWindow(organizationId, window.id),
    onSuccess: (contract) => {
      queryClient.setQueryData(catalogKeys.flexContract(organizationId), contract);
      notifications.show({ color: 'green', message: i18n.t('catalog.flex.removed') });
    },
    onError: (error) => notifications.show({ color: 'red', title: i18n.t('catalog.flex.removeFailed'), message: scopedErrorMessage(error, 'catalog') }),
  });
  const state = windowState(window, today);
  const label = t('catalog.flex.windowLabel', { from: formatDay(window.startsOn), to: formatDay(window.endsOn) });
  return (
    <Table.Tr data-testid="flex-window-row" data-starts-on={window.startsOn} data-ends-on={window.endsOn}>
      <Table.Td fz="sm">{formatDay(window.startsOn)}</Table.Td>
      <Table.Td fz="sm">{formatDay(window.endsOn)}</Table.Td>
      <Table.Td>
        <Badge variant="light" color={stateColors[state]}>
          {t(`catalog.flex.states.${state}`)}
        </Badge>
      </Table.Td>
      <Table.Td ta="right">
        <Popover opened={confirming} onChange={setConfirming} position="bottom-end" withArrow shadow="md" trapFocus returnFocus>
          <Popover.Target>
            <Button
              size="xs"
              variant="subtle"
              color="red"
              onClick={() => setConfirming((open) => !open)}
              aria-label={t('catalog.flex.removeLabel', { window: label })}
              data-testid="flex-remove"
            >
              {t('catalog.flex.remove')}
            </Button>
          </Popover.Target>
          <Popover.Dropdown>
            <Stack gap="xs" maw={260}>
              <Text fz="sm" fw={500}>
                {t('catalog.flex.removeQuestion')}
              </Text>
              <Text fz="xs" c="dimmed">
                {label}
              </Text>
              <Group gap="xs" justify="flex-end">
                <Button size="xs" variant="default" onClick={() => setConfirming(false)}>
                  {t('common.cancel')}
                </Button>
                <Button
                  size="xs"
                  color="red"
                  loading={remove.isPending}
                  onClick={() => remove.mutate(undefined, { onSettled: () => setConfirming(false) })}
                  data-testid="flex-remove-confirm"
                >
                  {t('catalog.flex.remove')}
                </Button>
              </Group>
            </Stack>
          </Popover.Dropdown>
        </Popover>
      </Table.Td>
    </Table.Tr>
  );
}

function FlexContractPanel({ organization }: { organization: Organization }) {
  const { t } = useTranslation();
  const query = useQuery({ queryKey: catalogKeys.flexContract(organization.id), queryFn: ({ signal }) => catalogApi.flexContract(organization.id, signal) });
  const today = useBusinessToday();
  if (query.isPending) {
    return (
      <Center py="xl">
        <Loader size="sm" aria-label={t('common.loading')} />
      </Center>
    );
  }
  if (query.isError) return <ErrorAlert message={scopedErrorMessage(query.error, 'catalog')} />;
  const contract = query.data;
  const windows = [...contract.windows].sort((a, b) => b.startsOn.localeCompare(a.startsOn));
  return (
    <Stack gap="md" data-testid="flex-contract">
      <Alert
        variant="light"
        color={contract.active ? 'green' : 'gray'}
        title={contract.active ? t('catalog.flex.activeToday') : t('catalog.flex.inactiveToday')}
        data-testid="flex-contract-state"
        data-active={contract.active ? 'true' : 'false'}
      >
        {contract.active ? t('catalog.flex.activeText') : t('catalog.flex.inactiveText')}
      </Alert>
      <ListTable verticalSpacing="xs" data-testid="flex-windows">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('catalog.flex.startsOn')}</Table.Th>
            <Table.Th>{t('catalog.flex.endsOn')}</Table.Th>
            <Table.Th>{t('catalog.status')}</Table.Th>
            <Table.Th>
              <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {windows.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={4}>
                <Text c="dimmed" fz="sm" ta="center" py="md" data-testid="flex-windows-empty">
                  {t('catalog.flex.empty')}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
          {windows.map((window) => (
            <WindowRow key={window.id} organizationId={organization.id} window={window} today={today} />
          ))}
        </Table.Tbody>
      </ListTable>
      <AddWindowForm organizationId={organization.id} />
      <Anchor component={Link} to={`/flex/${organization.id}`} fz="sm" data-testid="flex-manage-link">
        {t('flex.admin.manageLink')}
      </Anchor>
    </Stack>
  );
}

/** The Flex contract of an organization: its validity windows, added and removed here. */
export function FlexContractModal({ organization, onClose }: { organization: Organization | null; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal opened={organization !== null} onClose={onClose} title={organization ? t('catalog.flex.title', { name: organization.name }) : ''} size="xl">
      {organization && <FlexContractPanel key={organization.id} organization={organization} />}
    </Modal>
  );
}
