import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './styles.css';
import './i18n/index.ts';
import { lazy, StrictMode, Suspense, useMemo, useRef, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { MantineProvider } from '@mantine/core';
import { useNotifications } from '@mantine/notifications';
import { QueryCache, QueryClient, QueryClientProvider, MutationCache } from '@tanstack/react-query';
import { ApiError } from './lib/api.ts';
import { focusFirstInvalidOnSubmit } from './lib/focus-invalid.ts';
import { useTranslation } from 'react-i18next';
import { cssVariablesResolver, localizedTheme } from './theme.ts';
import { App } from './app.tsx';
import { ME_KEY } from './features/session/session.ts';

const Toasts = lazy(() => import('./components/toasts.tsx'));

/**
 * The toasts' container is downloaded with the first toast (`notifications.show` only writes to a
 * store, which the container shows once it is there): most first visits show none.
 */
function ToastsOnDemand() {
  const { notifications, queue } = useNotifications();
  const wanted = useRef(false);
  if (notifications.length + queue.length > 0) wanted.current = true;
  if (!wanted.current) return null;
  return (
    <Suspense fallback={null}>
      <Toasts />
    </Suspense>
  );
}

/**
 * A 401 anywhere means the session ended: forget the user, and the guards send them to log in. A 403
 * auth.two_factor_required means an administrator now requires two-factor authentication: the
 * profile, read again, says so, and the guards send them to its set-up.
 */
const onError = (error: unknown) => {
  if (error instanceof ApiError && error.status === 401 && queryClient.getQueryData(ME_KEY)) {
    queryClient.setQueryData(ME_KEY, null);
  }
  if (error instanceof ApiError && error.code === 'auth.two_factor_required') void queryClient.invalidateQueries({ queryKey: ME_KEY });
};

const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError }),
  mutationCache: new MutationCache({ onError }),
  defaultOptions: {
    queries: {
      retry: (failures, error) => !(error instanceof ApiError && error.status > 0 && error.status < 500) && failures < 2,
      refetchOnWindowFocus: false,
    },
  },
});

/** Mantine with the theme in the reader's language (it follows a change of language). */
function ThemeProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const theme = useMemo(() => localizedTheme(t('common.close')), [t]);
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="light">
      {children}
    </MantineProvider>
  );
}

focusFirstInvalidOnSubmit(document);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ThemeProvider>
      <ToastsOnDemand />
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <App />
        </BrowserRouter>
      </QueryClientProvider>
    </ThemeProvider>
  </StrictMode>,
);
