import { api } from '../../lib/api.ts';
import type { Language } from '#shared/domain.ts';

/** Where the verification link sends the browser once the API has checked it. */
export const VERIFY_CALLBACK = '/verify-email/done';
export const RESET_REDIRECT = '/reset-password';

export const authApi = {
  signIn: (body: { email: string; password: string }) => api<unknown>('/auth/sign-in/email', { body }),
  /** Whether the address's domain signs in through its identity provider. */
  ssoLookup: (email: string) => api<{ sso: boolean }>('/sso/lookup', { query: { email } }),
  /** The identity provider's URL for this address; it sends the browser back to `callbackURL`, or here with `?error=`. */
  signInSso: (email: string) => api<{ url: string }>('/auth/sign-in/sso', { body: { email, callbackURL: '/', errorCallbackURL: '/login' } }),
  signUp: (body: { name: string; email: string; password: string; language: Language }) =>
    api<{ status: 'verification_sent' }>('/auth/sign-up/email', { body: { ...body, callbackURL: VERIFY_CALLBACK } }),
  sendVerificationEmail: (email: string) => api<unknown>('/auth/send-verification-email', { body: { email, callbackURL: VERIFY_CALLBACK } }),
  requestPasswordReset: (email: string) => api<unknown>('/auth/request-password-reset', { body: { email, redirectTo: RESET_REDIRECT } }),
  resetPassword: (body: { token: string; newPassword: string }) => api<unknown>('/auth/reset-password', { body }),
  changePassword: (body: { currentPassword: string; newPassword: string }) =>
    api<unknown>('/auth/change-password', { body: { ...body, revokeOtherSessions: true } }),
};
