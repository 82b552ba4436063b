import type { ReactNode } from 'react';
import { Text } from '@mantine/core';

/** A labelled value of a detail view (an e-mail received or sent, a webhook delivery): long words and addresses wrap. */
export function LabelledValue({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text fz="xs" c="dimmed" tt="uppercase" fw={600} lts={0.4}>
        {label}
      </Text>
      <Text fz="sm" component="div" style={{ overflowWrap: 'anywhere' }}>
        {children}
      </Text>
    </div>
  );
}
