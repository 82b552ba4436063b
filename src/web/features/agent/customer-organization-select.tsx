import { useMemo, useState } from 'react';
import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { useOrganizationSearch, type OrganizationRef } from './agent-api.ts';

/** Picks the customer organization by name, searching the server as one types. */
export function CustomerOrganizationSelect({
  value,
  onChange,
  error,
  testId = 'new-request-organization',
  autoFocus = true,
}: {
  value: OrganizationRef | null;
  onChange: (value: OrganizationRef | null) => void;
  error?: string | undefined;
  testId?: string;
  autoFocus?: boolean;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [open, setOpen] = useState(false);
  const [q] = useDebouncedValue(search.trim(), 250);
  // While the field shows the chosen name, list every organization rather than only that one.
  const term = value && q === value.name ? '' : q;
  const options = useOrganizationSearch(term, open);
  const data = useMemo(() => {
    const items = (options.data?.items ?? []).map((o) => ({ value: o.id, label: o.name }));
    if (value && !items.some((item) => item.value === value.id)) items.unshift({ value: value.id, label: value.name });
    return items;
  }, [options.data, value]);
  return (
    <Select
      label={t('workspace.create.organization')}
      placeholder={t('workspace.create.organizationPlaceholder')}
      required
      searchable
      clearable
      data={data}
      value={value?.id ?? null}
      onChange={(id) => {
        const found = id ? (options.data?.items.find((o) => o.id === id) ?? (value?.id === id ? value : null)) : null;
        onChange(found);
      }}
      searchValue={search}
      onSearchChange={setSearch}
      onDropdownOpen={() => setOpen(true)}
      filter={({ options: all }) => all}
      nothingFoundMessage={options.isFetching ? t('common.loading') : t('common.noMatch')}
      error={error}
      data-autofocus={autoFocus || undefined}
      data-testid={testId}
    />
  );
}
