import { useMemo, useState } from 'react';
import { Button, Group, Paper, Select, Skeleton, Stack, Table, Text, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { ApiError, apiUrl } from '../../lib/api.ts';
import { errorMessage } from '../../lib/errors.ts';
import { AdminPageHeader } from '../admin/admin-layout.tsx';
import { localized, useDesks } from '../admin/catalog-api.ts';
import { useLanguage } from '../requests/labels.tsx';
import { useSurveyResults, type SurveyResults, type SurveyResultsQuery } from '../lifecycle/lifecycle-api.ts';
import { useBusinessMonth } from '../../lib/dates.ts';
import { ListTable } from '../../components/list-table.tsx';

const COLORS = ['red', 'orange', 'yellow', 'lime', 'teal'].map((c) => `var(--mantine-color-${c}-6)`);

/** Hundredths of the average rating, from integers, shown as "4.25". */
const average = (sum: number, answers: number) => {
  const hundredths = Math.round((sum * 100) / answers);
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
};

function ResultsChart({ results }: { results: SurveyResults }) {
  const { t } = useTranslation();
  // One stacked bar per month: how many answers gave each rating, all selected desks together.
  const data = useMemo(() => {
    const byMonth = new Map<string, Record<string, number | string>>();
    for (const r of results.rows) {
      const m = byMonth.get(r.month) ?? { month: r.month, r1: 0, r2: 0, r3: 0, r4: 0, r5: 0 };
      r.counts.forEach((n, i) => {
        m[`r${i + 1}`] = (m[`r${i + 1}`] as number) + n;
      });
      byMonth.set(r.month, m);
    }
    return [...byMonth.values()];
  }, [results]);
  return (
    <div style={{ width: '100%', height: 280 }} data-testid="satisfaction-chart" role="img" aria-label={t('lifecycle.results.title')}>
      <ResponsiveContainer>
        <BarChart data={data} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="month" />
          <YAxis allowDecimals={false} />
          <Tooltip />
          <Legend />
          {[1, 2, 3, 4, 5].map((n) => (
            <Bar key={n} dataKey={`r${n}`} stackId="ratings" name={`${n}/5`} maxBarSize={80} fill={COLORS[n - 1]} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

/** /admin/satisfaction: survey answers per desk and month, as a chart, a table and a CSV file. */
export function SatisfactionPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const desks = useDesks();
  const fiveMonthsAgo = useBusinessMonth(-5);
  const thisMonth = useBusinessMonth(0);
  const [from, setFrom] = useState(fiveMonthsAgo);
  const [to, setTo] = useState(thisMonth);
  const [deskId, setDeskId] = useState<string | null>(null);
  const [query, setQuery] = useState<SurveyResultsQuery>({ from, to });
  const results = useSurveyResults(query);
  const apiError = results.error instanceof ApiError ? results.error : null;
  const fieldError = (field: string) => (apiError?.field === field ? errorMessage(apiError) : undefined);
  return (
    <>
      <AdminPageHeader title={t('lifecycle.results.title')} description={t('lifecycle.results.intro')} />
      <Stack gap="md" data-testid="page-admin-satisfaction">
        <Paper withBorder p="md">
          <form
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              setQuery({ from, to, deskId: deskId ?? undefined });
            }}
          >
            <Group align="flex-start" gap="sm">
              <TextInput
                type="month"
                label={t('lifecycle.results.from')}
                value={from}
                onChange={(e) => setFrom(e.currentTarget.value)}
                error={fieldError('from')}
                data-testid="satisfaction-from"
              />
              <TextInput
                type="month"
                label={t('lifecycle.results.to')}
                value={to}
                onChange={(e) => setTo(e.currentTarget.value)}
                error={fieldError('to')}
                data-testid="satisfaction-to"
              />
              <Select
                label={t('lifecycle.results.desk')}
                placeholder={t('lifecycle.results.allDesks')}
                clearable
                value={deskId}
                onChange={setDeskId}
                data={(desks.data ?? []).map((d) => ({ value: d.id, label: localized(d.names, language) }))}
              />
              <Button type="submit" mt={25} loading={results.isFetching} data-testid="satisfaction-show">
                {t('common.search')}
              </Button>
              <Button
                component="a"
                href={apiUrl('/admin/survey/results.csv', query)}
                download
                variant="default"
                mt={25}
                disabled={!results.data}
                data-testid="satisfaction-csv"
              >
                {t('lifecycle.results.csv')}
              </Button>
            </Group>
          </form>
        </Paper>
        <ErrorAlert message={results.isError && !apiError?.field ? errorMessage(results.error) : null} />
        <Paper withBorder p="md">
          {results.isPending ? (
            <Skeleton h={280} />
          ) : results.data && results.data.rows.length === 0 ? (
            <Text c="dimmed" fz="sm" data-testid="satisfaction-empty">
              {t('lifecycle.results.empty')}
            </Text>
          ) : results.data ? (
            <Stack gap="md">
              <ResultsChart results={results.data} />
              <ListTable striped verticalSpacing="xs" data-testid="satisfaction-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('lifecycle.results.month')}</Table.Th>
                    <Table.Th>{t('lifecycle.results.desk')}</Table.Th>
                    <Table.Th ta="right">{t('lifecycle.results.answers')}</Table.Th>
                    <Table.Th ta="right">{t('lifecycle.results.average')}</Table.Th>
                    {[1, 2, 3, 4, 5].map((n) => (
                      <Table.Th key={n} ta="right">
                        {n}/5
                      </Table.Th>
                    ))}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {results.data.rows.map((r) => (
                    <Table.Tr key={`${r.month}-${r.deskId}`} data-testid="satisfaction-row">
                      <Table.Td>{r.month}</Table.Td>
                      <Table.Td>{r.deskName}</Table.Td>
                      <Table.Td ta="right">{r.answers}</Table.Td>
                      <Table.Td ta="right">{average(r.ratingSum, r.answers)}</Table.Td>
                      {r.counts.map((n, i) => (
                        // biome-ignore lint/suspicious/noArrayIndexKey: the five rating columns, in order.
                        <Table.Td key={i} ta="right">
                          {n}
                        </Table.Td>
                      ))}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </ListTable>
            </Stack>
          ) : null}
        </Paper>
      </Stack>
    </>
  );
}
