import { useMemo, useState } from 'react';
import { Button, Group, Paper, Select, Skeleton, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { CRITICALITY_LABELS } from '#shared/tickets.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { i18n } from '../../i18n/index.ts';
import { ApiError, apiUrl } from '../../lib/api.ts';
import { errorMessage } from '../../lib/errors.ts';
import { useLanguage } from '../requests/labels.tsx';
import { useSlaReport, type SlaReport, type SlaReportQuery } from '../sla/sla-api.ts';
import { useSlaFormat } from '../sla/sla-format.ts';
import { AdminPageHeader } from './admin-layout.tsx';
import { localized, useDesks } from './catalog-api.ts';
import { useBusinessMonth } from '../../lib/dates.ts';
import { ListTable } from '../../components/list-table.tsx';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

type MonthTotals = { month: string; engagementMet: number; engagementBreached: number; resolutionMet: number; resolutionBreached: number };

/** The rows summed per month, for the chart. */
export function totalsPerMonth(report: SlaReport): MonthTotals[] {
  const byMonth = new Map<string, MonthTotals>();
  for (const r of report.rows) {
    const m = byMonth.get(r.month) ?? { month: r.month, engagementMet: 0, engagementBreached: 0, resolutionMet: 0, resolutionBreached: 0 };
    m.engagementMet += r.engagementMet;
    m.engagementBreached += r.engagementBreached;
    m.resolutionMet += r.resolutionMet;
    m.resolutionBreached += r.resolutionBreached;
    byMonth.set(r.month, m);
  }
  return [...byMonth.values()];
}

function ReportChart({ report }: { report: SlaReport }) {
  const { t } = useTranslation();
  const data = useMemo(() => totalsPerMonth(report), [report]);
  return (
    <div style={{ width: '100%', height: 300 }} data-testid="sla-report-chart" role="img" aria-label={t('sla.report.chartTitle')}>
      <ResponsiveContainer>
        <BarChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="month" />
          <YAxis allowDecimals={false} />
          <Tooltip />
          <Legend />
          <Bar dataKey="engagementMet" stackId="engagement" name={t('sla.report.engagementMet')} fill="var(--mantine-color-teal-6)" isAnimationActive={false} />
          <Bar
            dataKey="engagementBreached"
            stackId="engagement"
            name={t('sla.report.engagementBreached')}
            fill="var(--mantine-color-red-6)"
            isAnimationActive={false}
          />
          <Bar dataKey="resolutionMet" stackId="resolution" name={t('sla.report.resolutionMet')} fill="var(--mantine-color-blue-6)" isAnimationActive={false} />
          <Bar
            dataKey="resolutionBreached"
            stackId="resolution"
            name={t('sla.report.resolutionBreached')}
            fill="var(--mantine-color-orange-6)"
            isAnimationActive={false}
          />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

function ReportTable({ report }: { report: SlaReport }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const format = useSlaFormat();
  const average = (minutes: number | null) => (minutes === null ? '—' : format.duration(minutes));
  return (
    <ListTable striped verticalSpacing="xs" data-testid="sla-report-table">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('sla.report.month')}</Table.Th>
          <Table.Th>{t('sla.report.desk')}</Table.Th>
          <Table.Th>{t('sla.report.criticality')}</Table.Th>
          <Table.Th ta="right">{t('sla.report.engagementMet')}</Table.Th>
          <Table.Th ta="right">{t('sla.report.engagementBreached')}</Table.Th>
          <Table.Th ta="right">{t('sla.report.averageEngagement')}</Table.Th>
          <Table.Th ta="right">{t('sla.report.resolutionMet')}</Table.Th>
          <Table.Th ta="right">{t('sla.report.resolutionBreached')}</Table.Th>
          <Table.Th ta="right">{t('sla.report.averageResolution')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {report.rows.map((r) => (
          <Table.Tr key={`${r.month}-${r.deskId}-${r.criticality}`} data-testid="sla-report-row" data-month={r.month} data-criticality={r.criticality}>
            <Table.Td>{r.month}</Table.Td>
            <Table.Td>{r.deskName}</Table.Td>
            <Table.Td>{CRITICALITY_LABELS[r.criticality][language]}</Table.Td>
            <Table.Td ta="right" data-testid="engagement-met">
              {r.engagementMet}
            </Table.Td>
            <Table.Td ta="right" data-testid="engagement-breached" c={r.engagementBreached ? 'red' : undefined}>
              {r.engagementBreached}
            </Table.Td>
            <Table.Td ta="right" data-testid="engagement-average">
              {average(r.averageEngagementMinutes)}
            </Table.Td>
            <Table.Td ta="right" data-testid="resolution-met">
              {r.resolutionMet}
            </Table.Td>
            <Table.Td ta="right" data-testid="resolution-breached" c={r.resolutionBreached ? 'red' : undefined}>
              {r.resolutionBreached}
            </Table.Td>
            <Table.Td ta="right" data-testid="resolution-average">
              {average(r.averageResolutionMinutes)}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </ListTable>
  );
}

/** /admin/sla/report: met and breached clocks per month, desk and criticality, as a chart, a table and a CSV file. */
export function SlaReportPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const desks = useDesks();
  const fiveMonthsAgo = useBusinessMonth(-5);
  const thisMonth = useBusinessMonth(0);
  const [from, setFrom] = useState(fiveMonthsAgo);
  const [to, setTo] = useState(thisMonth);
  const [deskId, setDeskId] = useState<string | null>(null);
  const [query, setQuery] = useState<SlaReportQuery>({ from, to });
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const report = useSlaReport(query);
  const apiError = report.error instanceof ApiError ? report.error : null;
  const fieldError = (field: string) => localErrors[field] ?? (apiError?.field === field ? apiError.message : undefined);
  const generalError = report.isError && !(apiError?.field && ['from', 'to', 'deskId'].includes(apiError.field)) ? errorMessage(report.error) : null;

  return (
    <>
      <AdminPageHeader title={t('sla.report.title')} description={t('sla.report.description')} />
      <Stack gap="md" data-testid="page-admin-sla-report">
        <Paper withBorder p="md">
          <form
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              const errors: Record<string, string> = {};
              if (!MONTH.test(from)) errors.from = i18n.t('sla.report.invalidMonth');
              if (!MONTH.test(to)) errors.to = i18n.t('sla.report.invalidMonth');
              setLocalErrors(errors);
              if (!Object.keys(errors).length) setQuery({ from, to, deskId: deskId ?? undefined });
            }}
          >
            <Group align="flex-start" gap="sm">
              <TextInput
                type="month"
                label={t('sla.report.from')}
                value={from}
                onChange={(e) => setFrom(e.currentTarget.value)}
                error={fieldError('from')}
                data-testid="sla-report-from"
              />
              <TextInput
                type="month"
                label={t('sla.report.to')}
                value={to}
                onChange={(e) => setTo(e.currentTarget.value)}
                error={fieldError('to')}
                data-testid="sla-report-to"
              />
              <Select
                label={t('sla.report.desk')}
                placeholder={t('sla.report.allDesks')}
                clearable
                value={deskId}
                onChange={setDeskId}
                data={(desks.data ?? []).map((d) => ({ value: d.id, label: localized(d.names, language) }))}
                error={fieldError('deskId')}
                data-testid="sla-report-desk"
              />
              <Button type="submit" mt={25} loading={report.isFetching} data-testid="sla-report-show">
                {t('sla.report.show')}
              </Button>
              <Button
                component="a"
                href={apiUrl('/admin/sla/report.csv', query)}
                download
                variant="default"
                mt={25}
                disabled={!report.data}
                data-testid="sla-report-csv"
              >
                {t('sla.report.download')}
              </Button>
            </Group>
          </form>
        </Paper>
        <ErrorAlert message={generalError} />
        <Paper withBorder p="md">
          <Title order={2} fz="lg" mb="sm">
            {t('sla.report.chartTitle')}
          </Title>
          {report.isPending ? (
            <Skeleton h={300} />
          ) : report.data && report.data.rows.length === 0 ? (
            <Text c="dimmed" fz="sm" data-testid="sla-report-empty">
              {t('sla.report.empty')}
            </Text>
          ) : report.data ? (
            <Stack gap="md">
              <ReportChart report={report.data} />
              <ReportTable report={report.data} />
            </Stack>
          ) : null}
        </Paper>
      </Stack>
    </>
  );
}
