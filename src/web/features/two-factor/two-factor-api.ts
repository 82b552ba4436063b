import type { z } from 'zod';
import type { backupCodesResultSchema, enableTwoFactorResultSchema, SecuritySettings } from '#shared/two-factor-api.ts';
import { normalizeBackupCode } from '#shared/two-factor-api.ts';
import { api } from '../../lib/api.ts';

export const twoFactorApi = {
  enable: (password: string) => api<z.infer<typeof enableTwoFactorResultSchema>>('/auth/two-factor/enable', { body: { password } }),
  verifyCode: (code: string, trustDevice?: boolean) =>
    api<unknown>('/auth/two-factor/verify-totp', { body: { code: code.replace(/\s+/g, ''), ...(trustDevice === undefined ? {} : { trustDevice }) } }),
  verifyBackupCode: (code: string, trustDevice: boolean) =>
    api<unknown>('/auth/two-factor/verify-backup-code', { body: { code: normalizeBackupCode(code), trustDevice } }),
  regenerateBackupCodes: (password: string) => api<z.infer<typeof backupCodesResultSchema>>('/auth/two-factor/generate-backup-codes', { body: { password } }),
  disable: (password: string) => api<unknown>('/auth/two-factor/disable', { body: { password } }),
  securitySettings: () => api<SecuritySettings>('/admin/security-settings'),
  updateSecuritySettings: (body: { staffTwoFactorRequired: boolean }) => api<SecuritySettings>('/admin/security-settings', { method: 'PATCH', body }),
};

export const securitySettingsKey = ['admin', 'security-settings'] as const;

/** The key to type by hand: the `secret` of the otpauth:// URI, in groups of four. */
export const manualKeyOf = (totpURI: string) => (new URL(totpURI).searchParams.get('secret') ?? '').replace(/(.{4})/g, '$1 ').trim();

/** A 6-digit code as typed (spaces allowed); null when it is one. */
export const codeProblem = (value: string, message: string) => (/^\d{6}$/.test(value.replace(/\s+/g, '')) ? null : message);
