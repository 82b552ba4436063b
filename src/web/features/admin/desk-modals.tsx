import { useState } from 'react';
import { Button, Group, Modal, MultiSelect, NumberInput, SimpleGrid, Stack, Switch, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { POSITION_MAX, SLUG_MAX } from '#shared/catalog-api.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { i18n } from '../../i18n/index.ts';
import { applyScopedApiError } from '../../lib/scoped-errors.ts';
import { maxLength, wholeNumberIn } from '../../lib/validation.ts';
import { catalogApi, catalogKeys, emptyLocalized, localized, trimLocalized, useStaffUsers, type Desk } from './catalog-api.ts';
import { descriptionRules, LocalizedFields, requiredNames } from './localized-fields.tsx';
import { useSubmission } from '../../lib/submission.ts';

const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const KEY_PREFIX = /^[A-Za-z]{2,6}$/;

export const slugRule = (value: string) => {
  if (value.trim() === '') return i18n.t('validation.required');
  return maxLength(SLUG_MAX)(value) ?? (SLUG.test(value.trim().toLowerCase()) ? null : i18n.t('catalog.validation.slug'));
};

function DeskForm({ desk, onDone }: { desk: Desk | null; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const submission = useSubmission();
  const form = useForm({
    initialValues: {
      slug: desk?.slug ?? '',
      keyPrefix: desk?.keyPrefix ?? '',
      names: desk ? { ...desk.names } : emptyLocalized(),
      descriptions: desk ? { ...desk.descriptions } : emptyLocalized(),
      position: desk?.position ?? 0,
      active: desk?.active ?? true,
      coveredByMaintenance: desk?.coveredByMaintenance ?? false,
    },
    validate: {
      slug: slugRule,
      keyPrefix: (value) => (desk || KEY_PREFIX.test(value.trim()) ? null : i18n.t('catalog.validation.keyPrefix')),
      names: requiredNames(i18n.t('validation.required')),
      descriptions: descriptionRules(),
      position: wholeNumberIn(0, POSITION_MAX),
    },
  });

  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async (values) => {
        setError(null);
        const common = {
          slug: values.slug.trim().toLowerCase(),
          names: trimLocalized(values.names),
          descriptions: trimLocalized(values.descriptions),
          position: Number(values.position) || 0,
          coveredByMaintenance: values.coveredByMaintenance,
        };
        const keyPrefix = values.keyPrefix.trim().toUpperCase();
        try {
          const saved = desk
            ? await catalogApi.updateDesk(desk.id, { ...common, active: values.active })
            : await submission({ ...common, keyPrefix }, (key) => catalogApi.createDesk({ ...common, keyPrefix }, key));
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
