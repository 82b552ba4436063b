import { useDocumentTitle } from '@mantine/hooks';

/** "Users · Guichet": each page names itself in the browser tab and for screen readers. */
export function usePageTitle(title: string | null | undefined) {
  useDocumentTitle(title ? `${title} · Guichet` : 'Guichet');
}
