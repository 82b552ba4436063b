/**
 * Text in a state colour (criticality, status, SLA clocks) that people can read: Mantine's darkest
 * shade of each colour, darkened by a third (×0.65), reads at 4.5:1 or better (WCAG AA for small
 * text) on white, on the colour's own light tint (light badges) and on the workspace's selected row.
 * Mantine's own shades do not: orange 9 on its tint is 3.6:1, yellow 9 2.7:1, the light badges'
 * green and teal 3.8 and 4.3:1.
 */
const READABLE_TEXT: Record<string, string> = {
  red: '#831b1b',
  orange: '#8d2f0a',
  yellow: '#964d00',
  green: '#1c5a28',
  teal: '#05533b',
  cyan: '#074a56',
  blue: '#10416f',
  indigo: '#233381',
  grape: '#571e65',
  gray: '#2f3439',
};

/** The readable text colour of a Mantine colour name (`orange`), or undefined for another colour (the theme's own is used). */
export const readableText = (color: string): string | undefined => READABLE_TEXT[color];
