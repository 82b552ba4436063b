import { DEFAULT_THEME, mergeMantineTheme } from '@mantine/core';
import { describe, expect, it } from 'vitest';
import { contrast, cssVariablesResolver, lightSurfaces, theme } from './theme.ts';

const resolved = mergeMantineTheme(DEFAULT_THEME, theme);
const light = cssVariablesResolver(resolved).light as Record<string, string>;
const AA = 4.5;
const colors = Object.entries(resolved.colors);

describe('text colours read at WCAG AA (4.5:1) on the light scheme', () => {
  it('dimmed text, on white and on the grey and blue tints of the app’s surfaces', () => {
    for (const surface of lightSurfaces(resolved.colors)) {
      expect(contrast(light['--mantine-color-dimmed']!, surface), surface).toBeGreaterThanOrEqual(AA);
    }
  });

  it.each(colors.map(([name, shades]) => [name, shades] as const))('%s: light badges and alerts, filled, outline and coloured text', (name, shades) => {
    expect(contrast(light[`--mantine-color-${name}-light-color`]!, shades[1])).toBeGreaterThanOrEqual(AA);
    expect(contrast('#ffffff', light[`--mantine-color-${name}-filled`]!)).toBeGreaterThanOrEqual(AA);
    for (const surface of lightSurfaces(resolved.colors)) expect(contrast(light[`--mantine-color-${name}-text`]!, surface), surface).toBeGreaterThanOrEqual(AA);
    expect(contrast(light[`--mantine-color-${name}-outline`]!, '#ffffff')).toBeGreaterThanOrEqual(AA);
  });
});
