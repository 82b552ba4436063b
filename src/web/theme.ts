import { createTheme, darken, luminance, mergeThemeOverrides, type CSSVariablesResolver, type MantineColorsTuple } from '@mantine/core';

const guichet: MantineColorsTuple = ['#eaf2fb', '#d5e3f3', '#a9c5e6', '#7aa6da', '#548bcf', '#3b7ac9', '#2d71c7', '#1f5fb0', '#15549e', '#00488c'];

export const theme = createTheme({
  primaryColor: 'guichet',
  primaryShade: 7,
  colors: { guichet },
  defaultRadius: 'md',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  headings: { fontWeight: '650' },
  components: {
    // The asterisk of required fields comes from styles.css.
    InputWrapper: { defaultProps: { withAsterisk: false } },
    Button: { defaultProps: { radius: 'md' } },
    Paper: { defaultProps: { radius: 'md' } },
  },
});

/**
 * Secondary ("dimmed") text at 4.5:1 or more on every light surface of the app (white, gray-0 to gray-2,
 * guichet-0): Mantine's own grey (#868e96) is 3.3:1 on white, under WCAG AA for normal text.
 */
export const DIMMED_TEXT = '#5f6770';

/** WCAG contrast ratio of two colours. */
export function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

/** AA for normal text (4.5:1), with a little margin for rounding. */
const AA = 4.6;

/** `color`, darkened step by step until it reads at AA on `background`. */
function readableOn(color: string, background: string): string {
  let result = color;
  for (let step = 0.05; contrast(result, background) < AA && step < 1; step += 0.05) result = darken(color, step);
  return result;
}

/**
 * Every colour's text at AA, whatever the colour (Mantine's own fall short for several): the text of
 * light badges and alerts (shade 9 on shade 1: yellow 2.7:1, orange 3.6:1, green 3.8:1), and the filled,
 * outline and coloured text (`c="red"`, shade 7: white on red 3.8:1, red on white 3.8:1) take the
 * first shade, or a darkened one, that reads at 4.5:1. Merged by Mantine over its own variables.
 */
export const cssVariablesResolver: CSSVariablesResolver = (resolvedTheme) => {
  const light: Record<string, string> = { '--mantine-color-dimmed': DIMMED_TEXT };
  const surfaces = lightSurfaces(resolvedTheme.colors);
  // Coloured text also sits on the app's tinted surfaces (a hovered or opened row): it reads at AA on the darkest of them.
  const darkestSurface = surfaces.reduce((darkest, surface) => (luminance(surface) < luminance(darkest) ? surface : darkest));
  for (const [name, shades] of Object.entries(resolvedTheme.colors)) {
    if (!shades) continue;
    light[`--mantine-color-${name}-light-color`] = readableOn(shades[9], shades[1]);
    const filled = [shades[7], shades[8], shades[9]].find((shade) => contrast(shade, '#ffffff') >= AA) ?? readableOn(shades[9], '#ffffff');
    light[`--mantine-color-${name}-filled`] = filled;
    light[`--mantine-color-${name}-filled-hover`] = darken(filled, 0.1);
    light[`--mantine-color-${name}-outline`] = filled;
    light[`--mantine-color-${name}-text`] =
      [shades[7], shades[8], shades[9]].find((shade) => contrast(shade, darkestSurface) >= AA) ?? readableOn(shades[9], darkestSurface);
  }
  return { variables: {}, light, dark: {} };
};

/** The light surfaces text is written on: white, the greys 0–2 and the brand's lightest tint. */
export const lightSurfaces = (colors: Record<string, MantineColorsTuple | undefined>) => [
  '#ffffff',
  colors.gray![0],
  colors.gray![1],
  colors.gray![2],
  colors.guichet![0],
];

/**
 * The theme with a name, in the reader's language, for the buttons Mantine draws without one of ours:
 * the close button of every dialog, drawer, notification and alert (axe: button-name).
 */
export function localizedTheme(closeLabel: string) {
  const closeButtonProps = { 'aria-label': closeLabel };
  return mergeThemeOverrides(
    theme,
    createTheme({
      components: {
        Modal: { defaultProps: { closeButtonProps } },
        Drawer: { defaultProps: { closeButtonProps } },
        Notification: { defaultProps: { closeButtonProps } },
        Alert: { defaultProps: { closeButtonLabel: closeLabel } },
      },
    }),
  );
}
