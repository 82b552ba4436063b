import { Group, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';

export function BrandMark({ size = 30 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden focusable="false">
      <rect width="32" height="32" rx="7" fill="var(--mantine-color-guichet-7)" />
      <path d="M7 11 16 6l9 5z" fill="#fff" />
      <path d="M8 13h16v2H8zm2 4h12v7H10z" fill="#fff" />
    </svg>
  );
}

export function Brand() {
  const { t } = useTranslation();
  return (
    // Named by what it shows (axe: label-content-name-mismatch), and where it leads.
    <UnstyledButton component={Link} to="/" data-testid="nav-brand">
      <Group gap={10} wrap="nowrap">
        <BrandMark />
        <div>
          <Text fw={700} fz="lg" lh={1.1}>
            Guichet
          </Text>
          <Text fz={11} c="dimmed" lh={1.1} visibleFrom="xs" tt="uppercase" lts={0.6}>
            {t('common.customerServices')}
          </Text>
          <VisuallyHidden>{t('nav.home')}</VisuallyHidden>
        </div>
      </Group>
    </UnstyledButton>
  );
}
