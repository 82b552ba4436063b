import { useState } from 'react';
import { Button, Checkbox, Group, Modal, NumberInput, Select, SimpleGrid, Stack, Switch, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { createRequestTypeSchema, POSITION_MAX, updateRequestTypeSchema } from '#shared/catalog-api.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { i18n } from '../../i18n/index.ts';
import { applyScopedApiError } from '../../lib/scoped-errors.ts';
import { schemaRules } from '../../lib/schema-validation.ts';
import { catalogApi, catalogKeys, emptyLocalized, localized, trimLocalized, type Desk, type Localized, type RequestType } from './catalog-api.ts';
import { catalogMessages, positionOf } from './desk-modals.tsx';
import { LocalizedFields } from './localized-fields.tsx';
import { useSubmission } from '../../lib/submission.ts';

type Editing = { requestType: RequestType | null; deskId: string | null };

type RequestTypeValues = {
  deskId: string | null;
  slug: string;
  names: Localized;
  descriptions: Localized;
  underSla: boolean;
  requiresFlexContract: boolean;
  requiresProject: boolean;
  position: number | string;
  active: boolean;
};
const requestTypeChanges = (values: RequestTypeValues) => ({
  slug: values.slug.trim().toLowerCase(),
  names: trimLocalized(values.names),
  descriptions: trimLocalized(values.descriptions),
  underSla: values.underSla,
  requiresFlexContract: values.requiresFlexContract,
  requiresProject: values.requiresProject,
  position: positionOf(values.position),
});
const requestTypeUpdate = (values: RequestTypeValues) => ({ ...requestTypeChanges(values), active: values.active });
/** A new request type names its desk (the schema refuses none, so a validated form has one). */
const newRequestType = (values: RequestTypeValues) => ({ ...requestTypeChanges(values), deskId: values.deskId as string });

function RequestTypeForm({ editing, desks, onDone }: { editing: Editing; desks: Desk[]; onDone: () => void }) {
  const {
    t,
    i18n: { language },
  } = useTranslation();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const submission = useSubmission();
  const current = editing.requestType;
  const form = useForm<RequestTypeValues>({
    initialValues: {
      deskId: current?.deskId ?? editing.deskId,
      slug: current?.slug ?? '',
      names: current ? { ...current.names } : emptyLocalized(),
      descriptions: current ? { ...current.descriptions } : emptyLocalized(),
      underSla: current?.underSla ?? true,
      requiresFlexContract: current?.requiresFlexContract ?? false,
      requiresProject: current?.requiresProject ?? false,
      position: current?.position ?? 0,
      active: current?.active ?? true,
    },
    validate: current
      ? schemaRules(updateRequestTypeSchema, { payload: requestTypeUpdate, messages: catalogMessages })
      : schemaRules(createRequestTypeSchema, { payload: newRequestType, messages: catalogMessages }),
  });

  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async (values) => {
        setError(null);
        try {
          const saved = current
            ? await catalogApi.updateRequestType(current.id, requestTypeUpdate(values))
            : await submission(newRequestType(values), (key) => catalogApi.createRequestType(newRequestType(values), key));
          await queryClient.invalidateQueries({ queryKey: catalogKeys.requestTypes });
          const name = localized(saved.names, i18n.language);
          notifications.show({
            color: 'green',
            message: current ? i18n.t('catalog.requestTypes.updated', { name }) : i18n.t('catalog.requestTypes.created', { name }),
          });
          onDone();
        } catch (e) {
          setError(applyScopedApiError(form, e, 'catalog'));
        }
      })}
    >
      <Stack gap="md">
        <ErrorAlert message={error} />
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
          <Select
            label={t('catalog.requestTypes.desk')}
            description={current ? t('catalog.requestTypes.deskFixed') : undefined}
            required
            disabled={current !== null}
            allowDeselect={false}
            data={desks.map((desk) => ({ value: desk.id, label: `${localized(desk.names, language)} (${desk.keyPrefix})` }))}
            data-testid="request-type-desk"
            {...form.getInputProps('deskId')}
          />
          <TextInput
            label={t('catalog.fields.slug')}
            description={t('catalog.fields.slugHint')}
            required
            data-autofocus
            data-testid="request-type-slug"
            {...form.getInputProps('slug')}
          />
          <NumberInput
            label={t('catalog.fields.position')}
            description={t('catalog.fields.positionHint')}
            min={0}
            max={POSITION_MAX}
            clampBehavior="none"
            data-testid="request-type-position"
            {...form.getInputProps('position')}
          />
        </SimpleGrid>
        <LocalizedFields form={form} testId="request-type" />
        <Stack gap="xs">
          <Checkbox
            label={t('catalog.requestTypes.underSla')}
            description={t('catalog.requestTypes.underSlaHint')}
            data-testid="request-type-under-sla"
            {...form.getInputProps('underSla', { type: 'checkbox' })}
          />
          <Checkbox
            label={t('catalog.requestTypes.requiresFlexContract')}
            description={t('catalog.requestTypes.requiresFlexContractHint')}
            data-testid="request-type-requires-flex"
            {...form.getInputProps('requiresFlexContract', { type: 'checkbox' })}
          />
          <Checkbox
            label={t('catalog.requestTypes.requiresProject')}
            description={t('catalog.requestTypes.requiresProjectHint')}
            data-testid="request-type-requires-project"
            {...form.getInputProps('requiresProject', { type: 'checkbox' })}
          />
        </Stack>
        {current && (
          <Switch
            label={t('catalog.requestTypes.activeLabel')}
            description={t('catalog.requestTypes.activeHint')}
            data-testid="request-type-active"
            {...form.getInputProps('active', { type: 'checkbox' })}
          />
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={form.submitting} data-testid="request-type-save">
            {current ? t('common.save') : t('common.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Creates a request type (on the given desk) or edits one. */
export function RequestTypeModal({ editing, desks, onClose }: { editing: Editing | null; desks: Desk[]; onClose: () => void }) {
  const {
    t,
    i18n: { language },
  } = useTranslation();
  const title = editing?.requestType
    ? t('catalog.requestTypes.editTitle', { name: localized(editing.requestType.names, language) })
    : t('catalog.requestTypes.createTitle');
  return (
    <Modal opened={editing !== null} onClose={onClose} title={title} size="xl">
      {editing && <RequestTypeForm key={editing.requestType?.id ?? `new-${editing.deskId}`} editing={editing} desks={desks} onDone={onClose} />}
    </Modal>
  );
}
