import type { ReactNode } from 'react';
import { Center, Paper, Stack, Text, Title } from '@mantine/core';
import { BrandMark } from './brand.tsx';
import { usePageTitle } from '../lib/page-title.ts';

/** The centred card of the log-in, sign-up and other account pages. */
export function AuthCard({
  title,
  subtitle,
  children,
  footer,
  testId,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
  testId?: string;
}) {
  usePageTitle(typeof title === 'string' ? title : null);
  return (
    <Center py={{ base: 'md', sm: 48 }} data-testid={testId}>
      <Stack w="100%" maw={440} gap="md">
        <Paper withBorder shadow="sm" p={{ base: 'lg', sm: 32 }}>
          <Stack gap="lg">
            <Stack gap={6}>
              <BrandMark size={36} />
              <Title order={1} fz={24} mt={6}>
                {title}
              </Title>
              {subtitle && (
                <Text c="dimmed" fz="sm">
                  {subtitle}
                </Text>
              )}
            </Stack>
            {children}
          </Stack>
        </Paper>
        {footer && (
          <Text ta="center" fz="sm" c="dimmed">
            {footer}
          </Text>
        )}
      </Stack>
    </Center>
  );
}
