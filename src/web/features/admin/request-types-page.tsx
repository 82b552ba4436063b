import { useState } from 'react';
import { Badge, Button, Code, Group, Paper, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { FullPageLoader } from '../../components/full-page-loader.tsx';
import { errorMessage } from '../../lib/errors.ts';
import { AdminPageHeader } from './admin-layout.tsx';
import { localized, useDesks, useRequestTypes, type Desk, type RequestType } from './catalog-api.ts';
import { ActiveBadge } from './desks-page.tsx';
import { RequestTypeModal } from './request-type-modal.tsx';
import { ListTable } from '../../components/list-table.tsx';

function Flags({ type }: { type: RequestType }) {
  const { t } = useTranslation();
  return (
    <Group gap={4}>
      {type.underSla ? (
        <Badge variant="light" color="blue" data-testid="flag-sla">
          {t('catalog.requestTypes.flagSla')}
        </Badge>
      ) : (
        <Badge variant="outline" color="gray" data-testid="flag-no-sla">
          {t('catalog.requestTypes.flagNoSla')}
        </Badge>
      )}
      {type.requiresFlexContract && (
        <Badge variant="light" color="violet" data-testid="flag-flex">
          {t('catalog.requestTypes.flagFlex')}
        </Badge>
      )}
      {type.requiresProject && (
        <Badge variant="light" color="teal" data-testid="flag-project">
          {t('catalog.requestTypes.flagProject')}
        </Badge>
      )}
    </Group>
  );
}

function DeskTypes({ desk, types, onCreate, onEdit }: { desk: Desk; types: RequestType[]; onCreate: () => void; onEdit: (type: RequestType) => void }) {
  const { t, i18n } = useTranslation();
  const deskName = localized(desk.names, i18n.language);
  return (
    <Paper withBorder p="md" data-testid="request-type-desk-group" data-slug={desk.slug}>
      <Group justify="space-between" mb="sm">
        <Group gap="xs">
          <Title order={2} fz="lg">
            {deskName}
          </Title>
          <Code fw={600}>{desk.keyPrefix}</Code>
          {!desk.active && <ActiveBadge active={false} />}
        </Group>
        <Button
          size="xs"
          variant="light"
          onClick={onCreate}
          aria-label={t('catalog.requestTypes.createIn', { desk: deskName })}
          data-testid="request-type-create"
        >
          {t('catalog.requestTypes.create')}
        </Button>
      </Group>
      <ListTable verticalSpacing="xs" highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={60}>{t('catalog.fields.positionShort')}</Table.Th>
            <Table.Th>{t('catalog.fields.name')}</Table.Th>
            <Table.Th>{t('catalog.requestTypes.rules')}</Table.Th>
            <Table.Th>{t('catalog.status')}</Table.Th>
            <Table.Th>
              <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {types.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={5}>
                <Text c="dimmed" fz="sm" ta="center" py="md">
                  {t('catalog.requestTypes.emptyDesk')}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
          {types.map((type) => {
            const name = localized(type.names, i18n.language);
            return (
              <Table.Tr key={type.id} data-testid="request-type-row" data-slug={type.slug} data-active={type.active ? 'true' : 'false'}>
                <Table.Td fz="sm" c="dimmed">
                  {type.position}
                </Table.Td>
                <Table.Td>
                  <Text fz="sm" fw={500}>
                    {name}
                  </Text>
                  <Text fz="xs" c="dimmed" lineClamp={1} maw={420}>
                    {type.slug}
                    {localized(type.descriptions, i18n.language) ? ` · ${localized(type.descriptions, i18n.language)}` : ''}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Flags type={type} />
                </Table.Td>
                <Table.Td>
                  <ActiveBadge active={type.active} />
                </Table.Td>
                <Table.Td ta="right">
                  <Button size="xs" variant="subtle" onClick={() => onEdit(type)} aria-label={t('catalog.editLabel', { name })} data-testid="request-type-edit">
                    {t('common.edit')}
                  </Button>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </ListTable>
    </Paper>
  );
}

export function RequestTypesPage() {
  const { t } = useTranslation();
  const desks = useDesks();
  const types = useRequestTypes();
  const [editing, setEditing] = useState<{ requestType: RequestType | null; deskId: string | null } | null>(null);
  const failed = desks.error ?? types.error;

  return (
    <>
      <AdminPageHeader
        title={t('catalog.requestTypes.title')}
        description={t('catalog.requestTypes.description')}
        action={
          <Button
            onClick={() => setEditing({ requestType: null, deskId: desks.data?.[0]?.id ?? null })}
            disabled={!desks.data?.length}
            data-testid="request-type-create-any"
          >
            {t('catalog.requestTypes.create')}
          </Button>
        }
      />
      {failed ? (
        <ErrorAlert message={errorMessage(failed)}>
          <Button size="xs" variant="white" color="red" mt="xs" onClick={() => void Promise.all([desks.refetch(), types.refetch()])}>
            {t('common.retry')}
          </Button>
        </ErrorAlert>
      ) : !desks.data || !types.data ? (
        <FullPageLoader />
      ) : desks.data.length === 0 ? (
        <Paper withBorder p="xl">
          <Text c="dimmed" ta="center" fz="sm">
            {t('catalog.requestTypes.noDesk')}
          </Text>
        </Paper>
      ) : (
        <Stack gap="md" data-testid="request-types">
          {desks.data.map((desk) => (
            <DeskTypes
              key={desk.id}
              desk={desk}
              types={types.data.filter((type) => type.deskId === desk.id)}
              onCreate={() => setEditing({ requestType: null, deskId: desk.id })}
              onEdit={(requestType) => setEditing({ requestType, deskId: requestType.deskId })}
            />
          ))}
        </Stack>
      )}
      <RequestTypeModal editing={editing} desks={desks.data ?? []} onClose={() => setEditing(null)} />
    </>
  );
}
