import { useState } from 'react';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatMinutes } from '#shared/durations.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useBusinessToday, useDateFormat } from '../../lib/dates.ts';
import { errorMessage } from '../../lib/errors.ts';
import { usePageTitle } from '../../lib/page-title.ts';
import { useMe } from '../session/session.ts';
import { FlexAdminPanels } from './flex-admin.tsx';
import { flexApi, useBalances, useFlexSummary, useStatement, type FlexSummary, type Period, type Statement } from './flex-api.ts';
import { ListTable } from '../../components/list-table.tsx';

/** The time-log panel's name for the interface's date formats (calendar days with `day`). */
export { useDateFormat as useDayFormat };

function Figure({ label, value, hint, testId, color }: { label: string; value: string; hint?: string; testId: string; color?: string }) {
  return (
    <Paper withBorder p="md" radius="md">
      <Text fz="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fz={26} fw={700} c={color} data-testid={testId}>
        {value}
      </Text>
      {hint && (
        <Text fz="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Paper>
  );
}

export function SummaryFigures({ summary }: { summary: FlexSummary }) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm">
      {summary.belowThreshold && (
        <Alert color="orange" variant="light" title={t('flex.lowTitle')} data-testid="flex-low-balance">
          {t('flex.lowText', { balance: formatMinutes(summary.balanceMinutes), threshold: formatMinutes(summary.lowBalanceThresholdMinutes) })}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm">
        <Figure
          label={t('flex.balance')}
          value={formatMinutes(summary.balanceMinutes)}
          hint={t('flex.balanceHint')}
          testId="flex-balance"
          color={summary.balanceMinutes <= 0 ? 'red' : undefined}
        />
        <Figure label={t('flex.unbilled')} value={formatMinutes(summary.unbilledMinutes)} hint={t('flex.unbilledHint')} testId="flex-unbilled" />
        <Figure label={t('flex.purchased')} value={formatMinutes(summary.purchasedMinutes)} testId="flex-purchased" />
        <Figure label={t('flex.threshold')} value={formatMinutes(summary.lowBalanceThresholdMinutes)} testId="flex-threshold" />
      </SimpleGrid>
      <Group gap="xs">
        <Badge color={summary.contractActive ? 'green' : 'gray'} variant="light" data-testid="flex-contract-state">
          {summary.contractActive ? t('flex.contractActive') : t('flex.contractInactive')}
        </Badge>
      </Group>
    </Stack>
  );
}

/** Y-axis ticks on whole hours (in minutes), about five of them. */
export function hourTicks(maxMinutes: number): number[] {
  const hours = Math.max(1, Math.ceil(maxMinutes / 60));
  const step = Math.max(1, Math.ceil(hours / 5));
  const ticks: number[] = [];
  for (let h = 0; h <= hours + step - 1; h += step) ticks.push(h * 60);
  return ticks;
}

function MonthChart({ statement }: { statement: Statement }) {
  const { t } = useTranslation();
  const ticks = hourTicks(Math.max(0, ...statement.byMonth.map((m) => m.minutes)));
  return (
    <div style={{ width: '100%', height: 240 }} role="img" aria-label={t('flex.byMonth')} data-testid="flex-month-chart">
      <ResponsiveContainer>
        <BarChart data={statement.byMonth} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="month" />
          <YAxis allowDecimals={false} ticks={ticks} domain={[0, ticks[ticks.length - 1]!]} tickFormatter={(v: number) => formatMinutes(v)} width={70} />
          <Tooltip formatter={(v) => formatMinutes(Number(v))} />
          <Bar dataKey="minutes" name={t('flex.billed')} fill="var(--mantine-color-blue-6)" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

function StatementTables({ statement }: { statement: Statement }) {
  const { t } = useTranslation();
  const format = useDateFormat();
  const summaryOf = (s: string | null) => s ?? t('flex.hiddenRequest');
  return (
    <Stack gap="lg">
      <div>
        <Title order={2} fz="md" mb="xs">
          {t('flex.byMonth')}
        </Title>
        {statement.byMonth.length ? (
          <MonthChart statement={statement} />
        ) : (
          <Text c="dimmed" fz="sm">
            {t('flex.noLedger')}
          </Text>
        )}
      </div>
      <div>
        <Title order={2} fz="md" mb="xs">
          {t('flex.byRequest')}
        </Title>
        <ListTable striped data-testid="flex-by-request">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('flex.request')}</Table.Th>
              <Table.Th ta="right">{t('flex.time')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {statement.byRequest.map((r) => (
              <Table.Tr key={r.key}>
                <Table.Td>
                  <Anchor component={Link} to={`/requests/${r.key}`} fz="sm">
                    {r.key}
                  </Anchor>{' '}
                  <Text span fz="sm">
                    {summaryOf(r.summary)}
                  </Text>
                </Table.Td>
                <Table.Td ta="right">{formatMinutes(r.minutes)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </ListTable>
      </div>
      <div>
        <Title order={2} fz="md" mb="xs">
          {t('flex.statement')}
        </Title>
        {statement.ledger.length === 0 ? (
          <Text c="dimmed" fz="sm">
            {t('flex.noLedger')}
          </Text>
        ) : (
          <ListTable striped data-testid="flex-ledger">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('flex.date')}</Table.Th>
                <Table.Th>{t('flex.kind')}</Table.Th>
                <Table.Th>{t('flex.request')}</Table.Th>
                <Table.Th>{t('flex.note')}</Table.Th>
                <Table.Th ta="right">{t('flex.time')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {statement.ledger.map((e) => (
                <Table.Tr key={e.id} data-testid="flex-ledger-row">
                  <Table.Td>{format.date(e.postedAt)}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={e.kind === 'charge' ? 'blue' : 'teal'}>
                      {t(`flex.kinds.${e.kind}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    {e.request.key} {summaryOf(e.request.summary)}
                  </Table.Td>
                  {/* Staff get their own reason and the customer's note; customers only the note written for them. */}
                  <Table.Td data-testid="flex-ledger-note">
                    {e.note !== undefined ? (
                      <>
                        {e.note ?? ''}
                        {e.customerNote && (
                          <Text fz="xs" c="dimmed">
                            {t('flex.customerNote', { note: e.customerNote })}
                          </Text>
                        )}
                      </>
                    ) : (
                      (e.customerNote ?? '')
                    )}
                  </Table.Td>
                  <Table.Td ta="right">{formatMinutes(e.minutes)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </ListTable>
        )}
      </div>
      <div>
        <Title order={2} fz="md" mb="xs">
          {t('flex.purchases')}
        </Title>
        {statement.purchases.length === 0 ? (
          <Text c="dimmed" fz="sm">
            {t('flex.noPurchases')}
          </Text>
        ) : (
          <ListTable striped data-testid="flex-purchases">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('flex.purchaseDate')}</Table.Th>
                <Table.Th>{t('flex.reference')}</Table.Th>
                <Table.Th ta="right">{t('flex.hours')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {statement.purchases.map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td>{format.day(p.purchasedOn)}</Table.Td>
                  <Table.Td>{p.reference}</Table.Td>
                  <Table.Td ta="right">{formatMinutes(p.minutes)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </ListTable>
        )}
      </div>
    </Stack>
  );
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** An organization's balance, statement of a period (chart, per request, ledger, purchases) and its CSV. */
export function OrganizationFlex({ organizationId }: { organizationId: string }) {
  const { t } = useTranslation();
  const today = useBusinessToday();
  const [period, setPeriod] = useState<Period>({ from: `${today.slice(0, 4)}-01-01`, to: today });
  const summary = useFlexSummary(organizationId);
  const valid = (!period.from || DAY.test(period.from)) && (!period.to || DAY.test(period.to));
  const statement = useStatement(organizationId, valid ? period : {});
  return (
    <Stack gap="lg">
      {summary.isPending ? (
        <Skeleton h={110} />
      ) : summary.isError ? (
        <ErrorAlert message={errorMessage(summary.error)} />
      ) : (
        <SummaryFigures summary={summary.data} />
      )}
      <Card withBorder padding="md">
        <Group align="flex-end" gap="sm" mb="md" wrap="wrap">
          <TextInput
            type="date"
            label={t('flex.from')}
            value={period.from ?? ''}
            onChange={(e) => setPeriod((p) => ({ ...p, from: e.currentTarget.value || undefined }))}
            data-testid="flex-from"
          />
          <TextInput
            type="date"
            label={t('flex.to')}
            value={period.to ?? ''}
            onChange={(e) => setPeriod((p) => ({ ...p, to: e.currentTarget.value || undefined }))}
            data-testid="flex-to"
          />
          <Button component="a" href={flexApi.statementCsvUrl(organizationId, period)} download variant="light" data-testid="flex-download">
            {t('flex.download')}
          </Button>
        </Group>
        {statement.isPending ? (
          <Skeleton h={240} />
        ) : statement.isError ? (
          <ErrorAlert message={errorMessage(statement.error)} />
        ) : (
          <StatementTables statement={statement.data} />
        )}
      </Card>
    </Stack>
  );
}

function BalancesList() {
  const { t } = useTranslation();
  const balances = useBalances();
  const today = useBusinessToday();
  const [exportQuery, setExportQuery] = useState({ from: `${today.slice(0, 7)}-01`, to: today, organizationId: '' });
  if (balances.isPending) return <Skeleton h={200} />;
  if (balances.isError) return <ErrorAlert message={errorMessage(balances.error)} />;
  return (
    <Stack gap="lg">
      {balances.data.length === 0 ? (
        <Text c="dimmed">{t('flex.staff.empty')}</Text>
      ) : (
        <ListTable striped highlightOnHover data-testid="flex-balances">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('flex.staff.organization')}</Table.Th>
              <Table.Th ta="right">{t('flex.balance')}</Table.Th>
              <Table.Th ta="right">{t('flex.unbilled')}</Table.Th>
              <Table.Th ta="right">{t('flex.purchased')}</Table.Th>
              <Table.Th>
                <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {balances.data.map((b) => (
              <Table.Tr key={b.organizationId} data-testid="flex-balance-row" data-organization={b.organizationName}>
                <Table.Td>
                  {b.organizationName}{' '}
                  {!b.contractActive && (
                    <Badge color="gray" variant="light" size="xs">
                      {t('flex.contractInactive')}
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td ta="right" c={b.belowThreshold ? 'orange.8' : undefined} fw={b.belowThreshold ? 600 : undefined}>
                  {formatMinutes(b.balanceMinutes)}
                </Table.Td>
                <Table.Td ta="right">{formatMinutes(b.unbilledMinutes)}</Table.Td>
                <Table.Td ta="right">{formatMinutes(b.purchasedMinutes)}</Table.Td>
                <Table.Td ta="right">
                  <Anchor component={Link} to={`/flex/${b.organizationId}`} data-testid="flex-open-organization">
                    {t('flex.staff.open')}
                  </Anchor>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </ListTable>
      )}
      <Card withBorder padding="md">
        <Title order={2} fz="md" mb="sm">
          {t('flex.staff.exportTitle')}
        </Title>
        <Group align="flex-end" gap="sm" wrap="wrap">
          <TextInput
            type="date"
            label={t('flex.from')}
            value={exportQuery.from}
            onChange={(e) => setExportQuery((q) => ({ ...q, from: e.currentTarget.value }))}
          />
          <TextInput type="date" label={t('flex.to')} value={exportQuery.to} onChange={(e) => setExportQuery((q) => ({ ...q, to: e.currentTarget.value }))} />
          <Select
            label={t('flex.staff.organization')}
            data={[
              { value: '', label: t('flex.staff.allOrganizations') },
              ...balances.data.map((b) => ({ value: b.organizationId, label: b.organizationName })),
            ]}
            value={exportQuery.organizationId}
            onChange={(v) => setExportQuery((q) => ({ ...q, organizationId: v ?? '' }))}
            allowDeselect={false}
          />
          <Button
            component="a"
            href={flexApi.exportCsvUrl({ from: exportQuery.from, to: exportQuery.to, organizationId: exportQuery.organizationId || undefined })}
            download
            variant="light"
            data-testid="flex-export"
          >
            {t('flex.staff.exportButton')}
          </Button>
        </Group>
      </Card>
    </Stack>
  );
}

/** /flex: a customer's own balance and statement; for staff, every organization's balance and the invoicing export. */
export function FlexPage() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const staff = me?.role === 'agent' || me?.role === 'admin';
  usePageTitle(staff ? t('flex.staffTitle') : t('flex.title'));
  if (!me) return null;
  return (
    <Stack gap="md" data-testid="page-flex">
      <div>
        <Title order={1} fz={24}>
          {staff ? t('flex.staffTitle') : t('flex.title')}
        </Title>
        <Text c="dimmed" fz="sm">
          {t('flex.intro')}
        </Text>
      </div>
      {staff ? <BalancesList /> : me.organization ? <OrganizationFlex organizationId={me.organization.id} /> : null}
    </Stack>
  );
}

/** /flex/:organizationId (staff): one organization's balance and statement; administrators also manage its contracts, purchases and billing. */
export function FlexOrganizationPage() {
  const { t } = useTranslation();
  const { organizationId = '' } = useParams();
  const { data: me } = useMe();
  const summary = useFlexSummary(organizationId);
  usePageTitle(summary.data ? `${t('flex.staffTitle')} · ${summary.data.organizationName}` : t('flex.staffTitle'));
  return (
    <Stack gap="md" data-testid="page-flex-organization">
      <div>
        <Anchor component={Link} to="/flex" fz="sm">
          ‹ {t('flex.staff.back')}
        </Anchor>
        <Title order={1} fz={24}>
          {summary.data?.organizationName ?? t('flex.staffTitle')}
        </Title>
      </div>
      <OrganizationFlex organizationId={organizationId} />
      {me?.role === 'admin' && <FlexAdminPanels organizationId={organizationId} />}
    </Stack>
  );
}
