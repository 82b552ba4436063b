import { useEffect, useMemo, useState } from 'react';
import { Button, Collapse, Group, MultiSelect, Select, SimpleGrid, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { TICKET_SORTS, type TicketSummary } from '#shared/tickets-api.ts';
import { CRITICALITIES, STATUSES } from '#shared/tickets.ts';
import { SEARCH_MAX } from '#shared/tickets-api.ts';
import { useDateFormat } from '../../lib/dates.ts';
import { maxLength } from '../../lib/validation.ts';
import { useTicketLabels } from '../requests/labels.tsx';
import type { StaffDesks } from '../requests/requests-api.ts';
import { useOrganizationSearch } from './agent-api.ts';
import { dayToInstant, hasFilters, instantToDay, type Filters, type useWorkspaceParams } from './workspace-filters.ts';
import classes from './workspace.module.css';

type Desk = StaffDesks['desks'][number];

/** The search box: typing waits a moment before the address (and the list) follows; Enter searches at once. */
function SearchBox({ value, onSearch }: { value: string; onSearch: (q: string) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState(value);
  const [debounced] = useDebouncedValue(text, 400);
  useEffect(() => setText(value), [value]);
  // A search over the limit is not sent (nor cut): the box says what is allowed.
  const tooLong = maxLength(SEARCH_MAX)(text);
  // biome-ignore lint/correctness/useExhaustiveDependencies: only the typed text drives this; `value` follows the address.
  useEffect(() => {
    if (debounced.trim() !== value && !maxLength(SEARCH_MAX)(debounced)) onSearch(debounced.trim());
  }, [debounced]);
  return (
    <TextInput
      aria-label={t('workspace.list.search')}
      placeholder={t('workspace.list.searchPlaceholder')}
      value={text}
      error={tooLong}
      onChange={(event) => setText(event.currentTarget.value)}
      onKeyDown={(event) => {
        if (event.key === 'Enter' && !tooLong) onSearch(text.trim());
        if (event.key === 'Escape') (event.currentTarget as HTMLInputElement).blur();
      }}
      type="search"
      size="xs"
      className={classes.search}
      data-testid="workspace-search"
    />
  );
}

/** The organization filter: searched by name; the chosen one keeps its name from the list rows when the search has not loaded it. */
function OrganizationFilter({
  value,
  onChange,
  known,
}: {
  value: string | null;
  onChange: (id: string | null) => void;
  known: { id: string; name: string }[];
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search, 250);
  const organizations = useOrganizationSearch(q, true);
  const data = useMemo(() => {
    const list = (organizations.data?.items ?? []).map((o) => ({ value: o.id, label: o.name }));
    const current = value ? known.find((o) => o.id === value) : undefined;
    if (value && !list.some((o) => o.value === value)) list.unshift({ value, label: current?.name ?? '…' });
    return list;
  }, [organizations.data, value, known]);
  return (
    <Select
      label={t('workspace.list.organization')}
      placeholder={t('workspace.list.organizationPlaceholder')}
      data={data}
      value={value}
      onChange={onChange}
      searchable
      clearable
      onSearchChange={setSearch}
      nothingFoundMessage={t('common.noMatch')}
      size="xs"
      data-testid="filter-organization"
      comboboxProps={{ withinPortal: true }}
    />
  );
}

export function FilterBar({
  filters,
  desks,
  tickets,
  params,
}: {
  filters: Filters;
  desks: Desk[];
  tickets: TicketSummary[];
  params: ReturnType<typeof useWorkspaceParams>;
}) {
  const { t } = useTranslation();
  const labels = useTicketLabels('staff');
  const { timeZone } = useDateFormat();
  const advanced = Boolean(
    filters.organizationId || filters.createdFrom || filters.createdTo || filters.updatedFrom || filters.updatedTo || filters.requestTypeId,
  );
  const [more, setMore] = useState(advanced);
  const shownDesks = filters.deskId ? desks.filter((d) => d.id === filters.deskId) : desks;
  const types = shownDesks.flatMap((d) =>
    d.requestTypes.map((rt) => ({ value: rt.id, label: desks.length > 1 && !filters.deskId ? `${d.name} · ${rt.name}` : rt.name })),
  );
  const agents = new Map<string, string>();
  for (const d of shownDesks) for (const a of d.agents) agents.set(a.id, a.name);
  const organizations = useMemo(() => [...new Map(tickets.map((ticket) => [ticket.organization.id, ticket.organization])).values()], [tickets]);
  const day = (name: 'createdFrom' | 'createdTo' | 'updatedFrom' | 'updatedTo', label: string) => (
    <TextInput
      type="date"
      label={label}
      size="xs"
      value={instantToDay(filters[name], timeZone)}
      onChange={(event) => params.set(name, dayToInstant(event.currentTarget.value, timeZone))}
      data-testid={`filter-${name}`}
    />
  );

  return (
    <div data-testid="filter-bar">
      <Group gap="xs" align="flex-end" wrap="wrap">
        <SearchBox value={filters.q} onSearch={(q) => params.set('q', q || null)} />
        {desks.length > 1 && (
          <Select
            aria-label={t('workspace.list.desk')}
            data={[{ value: '', label: t('workspace.list.allDesks') }, ...desks.map((d) => ({ value: d.id, label: d.name }))]}
            value={filters.deskId ?? ''}
            onChange={(value) => params.set('deskId', value || null)}
            allowDeselect={false}
            size="xs"
            className={classes.filter}
            data-testid="queue-desk-filter"
            comboboxProps={{ withinPortal: true }}
          />
        )}
        <MultiSelect
          aria-label={t('workspace.list.criticality')}
          placeholder={filters.criticality.length ? undefined : t('workspace.list.criticality')}
          data={CRITICALITIES.map((c) => ({ value: c, label: labels.criticality(c) }))}
          value={filters.criticality}
          onChange={(value) => params.set('criticality', value)}
          size="xs"
          className={classes.filter}
          clearable
          data-testid="filter-criticality"
          comboboxProps={{ withinPortal: true }}
        />
        <MultiSelect
          aria-label={t('workspace.list.status')}
          placeholder={filters.status.length ? undefined : t('workspace.list.status')}
          data={STATUSES.map((s) => ({ value: s, label: labels.status(s) }))}
          value={filters.status}
          onChange={(value) => params.set('status', value)}
          size="xs"
          className={classes.filter}
          clearable
          data-testid="filter-status"
          comboboxProps={{ withinPortal: true }}
        />
        <Select
          aria-label={t('workspace.list.assignee')}
          data={[
            { value: '', label: t('workspace.list.anyone') },
            { value: 'none', label: t('workspace.list.nobody') },
            ...[...agents].map(([id, name]) => ({ value: id, label: name })),
          ]}
          value={filters.assigneeId ?? ''}
          onChange={(value) => params.set('assigneeId', value || null)}
          allowDeselect={false}
          searchable
          size="xs"
          className={classes.filter}
          data-testid="filter-assignee"
          comboboxProps={{ withinPortal: true }}
        />
        <Select
          aria-label={t('workspace.list.sort')}
          title={filters.q ? t('workspace.list.searchSorted') : undefined}
          data={TICKET_SORTS.map((s) => ({ value: s, label: t(`workspace.list.sorts.${s}`) }))}
          value={filters.q ? 'updated' : (filters.sort ?? 'created')}
          onChange={(value) => params.set('sort', value === 'created' ? null : value)}
          disabled={Boolean(filters.q)}
          allowDeselect={false}
          size="xs"
          className={classes.filter}
          data-testid="filter-sort"
          comboboxProps={{ withinPortal: true }}
        />
        <Button size="xs" variant="subtle" onClick={() => setMore((open) => !open)} data-testid="filter-more" aria-expanded={more}>
          {t('workspace.list.moreFilters')}
        </Button>
        {hasFilters(params.params) && (
          <Button size="xs" variant="subtle" color="gray" onClick={params.clear} data-testid="filter-clear">
            {t('workspace.list.clearFilters')}
          </Button>
        )}
      </Group>
      <Collapse expanded={more}>
        <SimpleGrid cols={{ base: 1, xs: 2, md: 3, lg: 6 }} spacing="xs" mt="xs">
          <Select
            label={t('workspace.list.requestType')}
            data={[{ value: '', label: t('workspace.list.anyType') }, ...types]}
            value={filters.requestTypeId ?? ''}
            onChange={(value) => params.set('requestTypeId', value || null)}
            allowDeselect={false}
            size="xs"
            data-testid="filter-type"
            comboboxProps={{ withinPortal: true }}
          />
          <OrganizationFilter value={filters.organizationId} onChange={(id) => params.set('organizationId', id)} known={organizations} />
          {day('createdFrom', t('workspace.list.createdFrom'))}
          {day('createdTo', t('workspace.list.createdBefore'))}
          {day('updatedFrom', t('workspace.list.updatedFrom'))}
          {day('updatedTo', t('workspace.list.updatedBefore'))}
        </SimpleGrid>
      </Collapse>
    </div>
  );
}
