import { useState } from 'react';
import { Button, Group, Modal, MultiSelect, NumberInput, Select, SimpleGrid, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { type UseFormReturnType, useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { createDeskSchema, POSITION_MAX, updateDeskSchema } from '#shared/catalog-api.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { i18n } from '../../i18n/index.ts';
import { applyScopedApiError } from '../../lib/scoped-errors.ts';
import { type FieldMessage, schemaRules } from '../../lib/schema-validation.ts';
import { catalogApi, catalogKeys, emptyLocalized, localized, trimLocalized, useRequestTypes, useStaffUsers, type Desk, type Localized } from './catalog-api.ts';
import { LocalizedFields } from './localized-fields.tsx';
import { useSubmission } from '../../lib/submission.ts';

/** The catalogue's own messages for an identifier or a key prefix not in the expected form. */
export const catalogMessages: Record<string, FieldMessage> = {
  slug: (issue) => (issue.code === 'invalid_format' ? i18n.t('catalog.validation.slug') : null),
  keyPrefix: 'catalog.validation.keyPrefix',
  inboundAddress: 'catalog.validation.inboundAddress',
};

/** An order as the form holds it (empty is the first place; anything else is checked as typed). */
export const positionOf = (value: number | string) => (value === '' ? 0 : Number(value));

type DeskValues = {
  slug: string;
  keyPrefix: string;
  names: Localized;
  descriptions: Localized;
  position: number | string;
  active: boolean;
  coveredByMaintenance: boolean;
  inboundAddress: string;
  /** '' is "the first suitable type" (null to the server). */
  inboundRequestTypeId: string;
};
const deskChanges = (values: DeskValues) => ({
  slug: values.slug.trim().toLowerCase(),
  names: trimLocalized(values.names),
  descriptions: trimLocalized(values.descriptions),
  position: positionOf(values.position),
  coveredByMaintenance: values.coveredByMaintenance,
  inboundAddress: values.inboundAddress.trim() === '' ? null : values.inboundAddress.trim().toLowerCase(),
});
// A new desk has no request types yet: its e-mailed requests get the first suitable one until an administrator chooses.
const newDesk = (values: DeskValues) => ({ ...deskChanges(values), keyPrefix: values.keyPrefix.trim().toUpperCase() });
const deskUpdate = (values: DeskValues) => ({
  ...deskChanges(values),
  active: values.active,
  inboundRequestTypeId: values.inboundRequestTypeId === '' ? null : values.inboundRequestTypeId,
});

/** The desk's own address and the request type mail to it opens (a new desk has no types to choose from yet). */
function DeskEmailFields({ desk, form }: { desk: Desk | null; form: UseFormReturnType<DeskValues> }) {
  const {
    t,
    i18n: { language },
  } = useTranslation();
  const types = useRequestTypes();
  const current = desk?.inboundRequestTypeId ?? null;
  // The desk's active types; the one chosen before stays listed (disabled when it was deactivated since).
  const options = (types.data ?? [])
    .filter((type) => desk && type.deskId === desk.id && (type.active || type.id === current))
    .map((type) => ({ value: type.id, label: localized(type.names, language), disabled: !type.active }));
  return (
    <Stack gap="sm">
      <Title order={3} fz="sm">
        {t('catalog.desks.inboundTitle')}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <TextInput
          type="email"
          label={t('catalog.desks.inboundAddress')}
          description={t('catalog.desks.inboundAddressHint')}
          placeholder="support@example.ch"
          autoComplete="off"
          spellCheck={false}
          data-testid="desk-inbound-address"
          {...form.getInputProps('inboundAddress')}
        />
        {desk ? (
          <Select
            label={t('catalog.desks.inboundRequestType')}
            description={t('catalog.desks.inboundRequestTypeHint')}
            data={[{ value: '', label: t('catalog.desks.inboundRequestTypeDefault') }, ...options]}
            allowDeselect={false}
            comboboxProps={{ withinPortal: true }}
            placeholder={types.isPending ? t('common.loading') : undefined}
            data-testid="desk-inbound-request-type"
            {...form.getInputProps('inboundRequestTypeId')}
          />
        ) : (
          <Text fz="sm" c="dimmed" pt={{ base: 0, sm: 'xl' }}>
            {t('catalog.desks.inboundRequestTypeNew')}
          </Text>
        )}
      </SimpleGrid>
    </Stack>
  );
}

function DeskForm({ desk, onDone }: { desk: Desk | null; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const submission = useSubmission();
  const form = useForm<DeskValues>({
    initialValues: {
      slug: desk?.slug ?? '',
      keyPrefix: desk?.keyPrefix ?? '',
      names: desk ? { ...desk.names } : emptyLocalized(),
      descriptions: desk ? { ...desk.descriptions } : emptyLocalized(),
      position: desk?.position ?? 0,
      active: desk?.active ?? true,
      coveredByMaintenance: desk?.coveredByMaintenance ?? false,
      inboundAddress: desk?.inboundAddress ?? '',
      inboundRequestTypeId: desk?.inboundRequestTypeId ?? '',
    },
    // A desk's key prefix is fixed once it exists: only a new desk's is checked (and sent).
    validate: desk
      ? schemaRules(updateDeskSchema, { payload: deskUpdate, messages: catalogMessages })
      : schemaRules(createDeskSchema, { payload: newDesk, messages: catalogMessages }),
  });

  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async (values) => {
        setError(null);
        try {
          const saved = desk
            ? await catalogApi.updateDesk(desk.id, deskUpdate(values))
            : await submission(newDesk(values), (key) => catalogApi.createDesk(newDesk(values), key));
          await queryClient.invalidateQueries({ queryKey: catalogKeys.desks });
          const name = localized(saved.names, i18n.language);
          notifications.show({ color: 'green', message: desk ? i18n.t('catalog.desks.updated', { name }) : i18n.t('catalog.desks.created', { name }) });
          onDone();
        } catch (e) {
          setError(applyScopedApiError(form, e, 'catalog'));
        }
      })}
    >
      <Stack gap="md">
        <ErrorAlert message={error} />
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
          <TextInput
            label={t('catalog.desks.keyPrefix')}
            description={desk ? t('catalog.desks.keyPrefixFixed') : t('catalog.desks.keyPrefixHint')}
            required={!desk}
            disabled={desk !== null}
            styles={{ input: { textTransform: 'uppercase', fontFamily: 'var(--mantine-font-family-monospace)' } }}
            data-autofocus={desk ? undefined : true}
            data-testid="desk-key-prefix"
            {...form.getInputProps('keyPrefix')}
          />
          <TextInput
            label={t('catalog.fields.slug')}
            description={t('catalog.fields.slugHint')}
            required
            data-testid="desk-slug"
            {...form.getInputProps('slug')}
          />
          <NumberInput
            label={t('catalog.fields.position')}
            description={t('catalog.fields.positionHint')}
            min={0}
            max={POSITION_MAX}
            clampBehavior="none"
            data-testid="desk-position"
            {...form.getInputProps('position')}
          />
        </SimpleGrid>
        <LocalizedFields form={form} testId="desk" />
        <Switch
          label={t('catalog.desks.coveredByMaintenanceLabel')}
          description={t('catalog.desks.coveredByMaintenanceHint')}
          data-testid="desk-covered-by-maintenance"
          {...form.getInputProps('coveredByMaintenance', { type: 'checkbox' })}
        />
        <DeskEmailFields desk={desk} form={form} />
        {desk && (
          <Switch
            label={t('catalog.desks.activeLabel')}
            description={t('catalog.desks.activeHint')}
            data-testid="desk-active"
            {...form.getInputProps('active', { type: 'checkbox' })}
          />
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={form.submitting} data-testid="desk-save">
            {desk ? t('common.save') : t('common.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Creates a desk (desk = null) or edits one. */
export function DeskModal({ opened, desk, onClose }: { opened: boolean; desk: Desk | null; onClose: () => void }) {
  const {
    t,
    i18n: { language },
  } = useTranslation();
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={desk ? t('catalog.desks.editTitle', { name: localized(desk.names, language) }) : t('catalog.desks.createTitle')}
      size="xl"
    >
      {opened && <DeskForm key={desk?.id ?? 'new'} desk={desk} onDone={onClose} />}
    </Modal>
  );
}

function MembersForm({ desk, onDone }: { desk: Desk; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const staff = useStaffUsers();
  const [error, setError] = useState<string | null>(null);
  const form = useForm({ initialValues: { userIds: desk.memberIds } });
  const known = new Set((staff.data ?? []).map((user) => user.id));
  const data = [
    ...(staff.data ?? []).map((user) => ({
      value: user.id,
      label: `${user.name} · ${t(`roles.${user.role}`)}`,
      // A deactivated member can be removed, not added.
      disabled: !user.active && !desk.memberIds.includes(user.id),
    })),
    // Members the list does not know (beyond its first page) stay selectable under their id.
    ...desk.memberIds.filter((id) => staff.data && !known.has(id)).map((id) => ({ value: id, label: id })),
  ];

  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async (values) => {
        setError(null);
        try {
          const saved = await catalogApi.setDeskMembers(desk.id, values.userIds);
          await queryClient.invalidateQueries({ queryKey: catalogKeys.desks });
          notifications.show({
            color: 'green',
            message: i18n.t('catalog.desks.membersSaved', { name: localized(saved.names, i18n.language), count: saved.memberIds.length }),
          });
          onDone();
        } catch (e) {
          setError(applyScopedApiError(form, e, 'catalog'));
        }
      })}
    >
      <Stack gap="md">
        <ErrorAlert message={error ?? (staff.isError ? t('catalog.desks.staffLoadFailed') : null)} />
        <MultiSelect
          label={t('catalog.desks.members')}
          description={t('catalog.desks.membersHint')}
          placeholder={staff.isPending ? t('common.loading') : t('catalog.desks.membersPlaceholder')}
          data={data}
          searchable
          clearable
          hidePickedOptions
          nothingFoundMessage={t('common.noMatch')}
          maxDropdownHeight={260}
          comboboxProps={{ withinPortal: true }}
          data-autofocus
          data-testid="desk-members-select"
          {...form.getInputProps('userIds')}
        />
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={form.submitting} disabled={staff.isPending} data-testid="desk-members-save">
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Replaces the agents of a desk. */
export function DeskMembersModal({ desk, onClose }: { desk: Desk | null; onClose: () => void }) {
  const {
    t,
    i18n: { language },
  } = useTranslation();
  return (
    <Modal opened={desk !== null} onClose={onClose} title={desk ? t('catalog.desks.membersTitle', { name: localized(desk.names, language) }) : ''} size="lg">
      {desk && <MembersForm key={desk.id} desk={desk} onDone={onClose} />}
    </Modal>
  );
}
