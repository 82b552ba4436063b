import { useMemo, useRef, useState } from 'react';
import { Select, type SelectProps } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Page } from '../../lib/api.ts';
import { api } from '../../lib/api.ts';
import { adminKeys, type Organization } from './admin-api.ts';

type OrganizationRef = { id: string; name: string };

/**
 * Picks an organization by name, searching the server as one types; `value` is its id.
 * `current` names the organization already chosen, so its name shows before any search.
 */
export function OrganizationSelect({
  value,
  current,
  onChange,
  ...props
}: Omit<SelectProps, 'value' | 'onChange' | 'data' | 'searchValue' | 'onSearchChange'> & {
  value: string | null;
  current?: OrganizationRef | null;
  onChange: (organization: OrganizationRef | null) => void;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [dropdownOpen, setDropdownOpen] = useState(false);
  const [q] = useDebouncedValue(search.trim(), 250);
  const known = useRef(new Map<string, string>());
  if (current) known.current.set(current.id, current.name);
  const selectedName = value ? known.current.get(value) : undefined;
  // While the field shows the chosen name, list every organization rather than only that one.
  const term = q && q !== selectedName ? q : '';
  const options = useQuery({
    queryKey: [...adminKeys.organizations, 'options', term],
    queryFn: ({ signal }) => api<Page<Organization>>('/admin/organizations', { query: { q: term || undefined, limit: 50 }, signal }),
    enabled: dropdownOpen || value !== null,
    staleTime: 30_000,
    placeholderData: keepPreviousData,
  });
  for (const organization of options.data?.items ?? []) known.current.set(organization.id, organization.name);

  const data = useMemo(() => {
    const items = (options.data?.items ?? []).map((organization) => ({ value: organization.id, label: organization.name }));
    if (value && !items.some((item) => item.value === value) && known.current.has(value)) {
      items.unshift({ value, label: known.current.get(value)! });
    }
    return items;
  }, [options.data, value]);

  return (
    <Select
      searchable
      clearable
      nothingFoundMessage={options.isFetching ? t('common.loading') : t('common.noMatch')}
      {...props}
      data={data}
      value={value}
      onChange={(id) => onChange(id ? { id, name: known.current.get(id) ?? '' } : null)}
      searchValue={search}
      onSearchChange={setSearch}
      onDropdownOpen={() => setDropdownOpen(true)}
      filter={({ options: all }) => all}
    />
  );
}
