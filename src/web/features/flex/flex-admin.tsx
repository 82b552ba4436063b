import { useEffect, useState } from 'react';
import { useBusinessToday } from '../../lib/dates.ts';
import { Badge, Button, Card, Checkbox, Group, NumberInput, Select, SimpleGrid, Skeleton, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { createPurchaseSchema, updateContractSettingsSchema, type ZeroBalancePolicy } from '#shared/flex-api.ts';
import { formatMinutes } from '#shared/durations.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { i18n } from '../../i18n/index.ts';
import { applyApiError, errorMessage } from '../../lib/errors.ts';
import { useSubmission } from '../../lib/submission.ts';
import { schemaRules } from '../../lib/schema-validation.ts';
import { flexApi, useContract, useFlexMutation, type ContractSettings } from './flex-api.ts';

type ContractValues = {
  lowBalanceThresholdMinutes: number | string;
  zeroBalancePolicy: ZeroBalancePolicy;
  maintenanceStartsOn: string;
  maintenanceEndsOn: string;
  maintenanceRequiredForSupport: boolean;
};
const contractChanges = (values: ContractValues) => ({
  // Empty: no warning threshold.
  lowBalanceThresholdMinutes: values.lowBalanceThresholdMinutes === '' ? 0 : Number(values.lowBalanceThresholdMinutes),
  zeroBalancePolicy: values.zeroBalancePolicy,
  maintenanceStartsOn: values.maintenanceStartsOn || null,
  maintenanceEndsOn: values.maintenanceEndsOn || null,
  maintenanceRequiredForSupport: values.maintenanceRequiredForSupport,
});
const contractRules = schemaRules(updateContractSettingsSchema, { payload: contractChanges });

type PurchaseValues = { purchasedOn: string; hours: number | string; reference: string };
const purchase = (values: PurchaseValues) => ({
  purchasedOn: values.purchasedOn,
  hours: values.hours === '' ? undefined : Number(values.hours),
  reference: values.reference,
});
const purchaseRules = schemaRules(createPurchaseSchema, { payload: purchase });

function ContractForm({ organizationId, contract }: { organizationId: string; contract: ContractSettings }) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<ContractValues>({
    mode: 'controlled',
    initialValues: {
      lowBalanceThresholdMinutes: contract.lowBalanceThresholdMinutes,
      zeroBalancePolicy: contract.zeroBalancePolicy,
      maintenanceStartsOn: contract.maintenanceStartsOn ?? '',
      maintenanceEndsOn: contract.maintenanceEndsOn ?? '',
      maintenanceRequiredForSupport: contract.maintenanceRequiredForSupport,
    },
    validate: contractRules,
  });
  const save = useFlexMutation((values: ContractValues) => flexApi.updateContract(organizationId, contractChanges(values)));
  const submit = form.onSubmit(async (values) => {
    setError(null);
    try {
      await save.mutateAsync(values);
      notifications.show({ color: 'green', message: i18n.t('flex.admin.saved') });
    } catch (e) {
      setError(applyApiError(form, e));
    }
  });
  return (
    <form noValidate onSubmit={submit} data-testid="flex-contract-form">
      <Stack gap="sm">
        <ErrorAlert message={error} />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          <NumberInput
            label={t('flex.admin.thresholdMinutes')}
            min={0}
            step={60}
            clampBehavior="none"
            data-testid="flex-threshold-input"
            {...form.getInputProps('lowBalanceThresholdMinutes')}
          />
          <Select
            label={t('flex.admin.policy')}
            data={(['warn', 'refuse'] as const).map((p) => ({ value: p, label: t(`flex.admin.policies.${p}`) }))}
            allowDeselect={false}
            data-testid="flex-policy-input"
            {...form.getInputProps('zeroBalancePolicy')}
          />
          <TextInput type="date" label={t('flex.admin.maintenanceStarts')} {...form.getInputProps('maintenanceStartsOn')} />
          <TextInput type="date" label={t('flex.admin.maintenanceEnds')} {...form.getInputProps('maintenanceEndsOn')} />
        </SimpleGrid>
        <Checkbox label={t('flex.admin.maintenanceRequired')} {...form.getInputProps('maintenanceRequiredForSupport', { type: 'checkbox' })} />
        <Group justify="space-between">
          <Badge variant="light" color={contract.maintenanceActive ? 'green' : 'gray'}>
            {contract.maintenanceActive ? t('flex.admin.maintenanceActive') : t('flex.admin.maintenanceInactive')}
          </Badge>
          <Button type="submit" loading={save.isPending} data-testid="flex-contract-save">
            {t('common.save')}
          </Button>
        </Group>
        <Text fz="xs" c="dimmed">
          {t('flex.admin.windowsHint')}
        </Text>
      </Stack>
    </form>
  );
}

function PurchaseForm({ organizationId }: { organizationId: string }) {
  const today = useBusinessToday();
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const form = useForm<PurchaseValues>({
    mode: 'controlled',
    initialValues: { purchasedOn: today, hours: 10, reference: '' },
    validate: (values) => {
      const errors = purchaseRules(values);
      // Hours bought are more than none: the server says so (flex.hours_not_positive), not the schema.
      if (!errors.hours && Number(values.hours) <= 0) errors.hours = i18n.t('errors.flex.hours_not_positive');
      return errors;
    },
  });
  const submission = useSubmission();
  const add = useFlexMutation((values: PurchaseValues) => {
    const body = { purchasedOn: values.purchasedOn, hours: Number(values.hours), reference: values.reference };
    return submission(body, (key) => flexApi.addPurchase(organizationId, body, key));
  });
  const submit = form.onSubmit(async (values) => {
    setError(null);
    try {
      await add.mutateAsync(values);
      notifications.show({ color: 'green', message: i18n.t('flex.admin.purchaseAdded') });
      form.setFieldValue('reference', '');
    } catch (e) {
      setError(applyApiError(form, e));
    }
  });
  return (
    <form noValidate onSubmit={submit} data-testid="flex-purchase-form">
      <Stack gap="sm">
        <ErrorAlert message={error} />
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="sm">
          <TextInput type="date" label={t('flex.purchaseDate')} required {...form.getInputProps('purchasedOn')} />
          <NumberInput label={t('flex.hours')} required data-testid="flex-purchase-hours" {...form.getInputProps('hours')} />
          <TextInput label={t('flex.reference')} required data-testid="flex-purchase-reference" {...form.getInputProps('reference')} />
        </SimpleGrid>
        <Group justify="flex-end">
          <Button type="submit" loading={add.isPending} data-testid="flex-purchase-submit">
            {t('flex.admin.addPurchase')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function BillingForm({ organizationId }: { organizationId: string }) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const submission = useSubmission();
  const today = useBusinessToday();
  const form = useForm({ mode: 'controlled', initialValues: { periodStart: `${today.slice(0, 7)}-01`, periodEnd: today } });
  const run = useFlexMutation((values: typeof form.values) =>
    submission({ ...values, organizationId }, (key) => flexApi.runBilling({ ...values, organizationId }, key)),
  );
  const submit = form.onSubmit(async (values) => {
    setError(null);
    try {
      const result = await run.mutateAsync(values);
      notifications.show({ color: 'green', message: i18n.t('flex.admin.runDone', { entries: result.entries, time: formatMinutes(result.minutes) }) });
    } catch (e) {
      setError(applyApiError(form, e));
    }
  });
  return (
    <form noValidate onSubmit={submit} data-testid="flex-billing-form">
      <Stack gap="sm">
        <Text fz="sm" c="dimmed">
          {t('flex.admin.billingHint')}
        </Text>
        <ErrorAlert message={error} />
        <Group align="flex-start" gap="sm" wrap="wrap">
          <TextInput type="date" label={t('flex.admin.periodStart')} {...form.getInputProps('periodStart')} data-testid="flex-period-start" />
          <TextInput type="date" label={t('flex.admin.periodEnd')} {...form.getInputProps('periodEnd')} data-testid="flex-period-end" />
        </Group>
        <Group justify="flex-end">
          <Button type="submit" loading={run.isPending} data-testid="flex-run-billing">
            {t('flex.admin.runBilling')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Administrators: the organization's contracts, a purchase, and billing on demand. */
export function FlexAdminPanels({ organizationId }: { organizationId: string }) {
  const { t } = useTranslation();
  const contract = useContract(organizationId, true);
  const [formKey, setFormKey] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: new contract settings from the server start the forms again.
  useEffect(() => setFormKey((k) => k + 1), [contract.data]);
  return (
    <SimpleGrid cols={{ base: 1, lg: 3 }} spacing="md">
      <Card withBorder padding="md">
        <Title order={2} fz="md" mb="sm">
          {t('flex.admin.billingTitle')}
        </Title>
        <BillingForm organizationId={organizationId} />
      </Card>
      <Card withBorder padding="md">
        <Title order={2} fz="md" mb="sm">
          {t('flex.admin.purchaseTitle')}
        </Title>
        <PurchaseForm organizationId={organizationId} />
      </Card>
      <Card withBorder padding="md">
        <Title order={2} fz="md" mb="sm">
          {t('flex.admin.contractTitle')}
        </Title>
        {contract.isPending ? (
          <Skeleton h={200} />
        ) : contract.isError ? (
          <ErrorAlert message={errorMessage(contract.error)} />
        ) : (
          <ContractForm key={formKey} organizationId={organizationId} contract={contract.data} />
        )}
      </Card>
    </SimpleGrid>
  );
}
