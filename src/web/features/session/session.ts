import { useEffect } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { notifications } from '@mantine/notifications';
import type { Me } from '#shared/api.ts';
import type { Language } from '#shared/domain.ts';
import { api, ApiError } from '../../lib/api.ts';
import { errorMessage } from '../../lib/errors.ts';
import { i18n, loadStaffTexts, rememberLanguage } from '../../i18n/index.ts';

export const ME_KEY = ['me'] as const;

/** The logged-in user, or null when logged out. A staff member's texts are there before their pages. */
async function fetchMe(): Promise<Me | null> {
  try {
    const me = await api<Me>('/me');
    if (me.role !== 'customer') await loadStaffTexts();
    return me;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export function useMe() {
  return useQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: 5 * 60_000 });
}

/** A customer no administrator has attached to an organization yet: they only see the waiting page. */
export const isWaiting = (me: Me) => me.role === 'customer' && me.organization === null;

/** Required to use two-factor authentication and not set up yet: only the set-up page until then (the API refuses the rest). */
export const mustEnrollTwoFactor = (me: Me) => me.twoFactor.required && !me.twoFactor.enabled;

/** The interface follows the profile's language once logged in. */
export function useProfileLanguage(me: Me | null | undefined) {
  const language = me?.language;
  useEffect(() => {
    if (language && language !== i18n.language) {
      rememberLanguage(language);
      void i18n.changeLanguage(language);
    }
  }, [language]);
}

export function useSignOut() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: () => api<unknown>('/auth/sign-out', { body: {} }),
    onSettled: () => {
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== ME_KEY[0] });
      queryClient.setQueryData(ME_KEY, null);
      void navigate('/login', { replace: true });
    },
  });
}

/** Changes the interface language; when logged in, the profile too, so e-mails follow. */
export function useChangeLanguage() {
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: (language: Language) => api<Me>('/me', { method: 'PATCH', body: { language } }),
    onSuccess: (me) => queryClient.setQueryData(ME_KEY, me),
    onError: (error) => {
      const me = queryClient.getQueryData<Me | null>(ME_KEY);
      if (me) {
        rememberLanguage(me.language);
        void i18n.changeLanguage(me.language);
      }
      notifications.show({ color: 'red', message: errorMessage(error) });
    },
  });
  return (language: Language) => {
    rememberLanguage(language);
    void i18n.changeLanguage(language);
    if (queryClient.getQueryData<Me | null>(ME_KEY)) mutation.mutate(language);
  };
}
