import { z } from 'zod';
import { PASSWORD_MAX } from './domain.ts';

/* Two-factor authentication (better-auth's twoFactor plugin behind Guichet's bridge, and its policy). */

const password = z.string().min(1).max(PASSWORD_MAX);
/** A TOTP code: six digits. */
export const totpCodeSchema = z.string().regex(/^\d{6}$/, 'must be the 6 digits shown by the authenticator app');
/** A backup code as shown once: five letters or digits, a dash, five letters or digits. */
export const backupCodeSchema = z.string().regex(/^[A-Za-z0-9]{5}-[A-Za-z0-9]{5}$/, 'must be a backup code as shown, e.g. AbC12-dEf34');
/** A backup code as typed: spaces dropped, the dash put back when left out (a code from the list, or something that is not one). */
export const normalizeBackupCode = (typed: string) => {
  const code = typed.replace(/\s+/g, '');
  return /^[A-Za-z0-9]{10}$/.test(code) ? `${code.slice(0, 5)}-${code.slice(5)}` : code;
};

export const enableTwoFactorSchema = z.strictObject({ password });
export const disableTwoFactorSchema = z.strictObject({ password });
export const generateBackupCodesSchema = z.strictObject({ password });
export const verifyTotpSchema = z.strictObject({ code: totpCodeSchema, trustDevice: z.boolean().optional() });
export const verifyBackupCodeSchema = z.strictObject({ code: backupCodeSchema, trustDevice: z.boolean().optional() });

export const enableTwoFactorResultSchema = z
  .object({
    /** otpauth:// URI to show as a QR code; its `secret` parameter is the key to type in by hand. */
    totpURI: z.string(),
    /** Single-use backup codes, shown this once. */
    backupCodes: z.array(z.string()),
  })
  .meta({ id: 'TwoFactorEnrollment' });
export const backupCodesResultSchema = z.object({ status: z.boolean(), backupCodes: z.array(z.string()) }).meta({ id: 'BackupCodes' });

/** Whether the user has two-factor authentication on, and whether they must (an administrator's rule for staff or for their organization). */
export const twoFactorStatusSchema = z.object({ enabled: z.boolean(), required: z.boolean() }).meta({ id: 'TwoFactorStatus' });
export type TwoFactorStatus = z.infer<typeof twoFactorStatusSchema>;

export const securitySettingsSchema = z
  .object({
    /** Agents and administrators must use two-factor authentication. */
    staffTwoFactorRequired: z.boolean(),
    updatedAt: z.iso.datetime({ offset: true }).nullable(),
  })
  .meta({ id: 'SecuritySettings' });
export type SecuritySettings = z.infer<typeof securitySettingsSchema>;
export const updateSecuritySettingsSchema = z.strictObject({ staffTwoFactorRequired: z.boolean() });
