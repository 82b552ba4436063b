import { createTheme, type MantineColorsTuple } from '@mantine/core';

const guichet: MantineColorsTuple = [
  '#eaf2fb',
  '#d5e3f3',
  '#a9c5e6',
  '#7aa6da',
  '#548bcf',
  '#3b7ac9',
  '#2d71c7',
  '#1f5fb0',
  '#15549e',
  '#00488c',
];

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
