/** The error texts of two factor, with the portal's (an error can show on any page); the rest comes with its pages. */
export const twoFactorAuthErrorsEn = {
  invalid_code: 'This code is not right. Enter the code the app shows now.',
  invalid_backup_code: 'This backup code is not right, or it has already been used.',
  totp_already_enabled: 'Two-factor authentication is already on.',
  totp_not_enabled: 'Two-factor authentication is not set up for this account.',
  two_factor_not_enabled: 'Two-factor authentication is not on.',
  backup_codes_not_enabled: 'This account has no backup codes.',
  invalid_two_factor_cookie: 'This log-in has expired. Please enter your password again.',
  too_many_attempts_request_new_code: 'Too many wrong codes. Please enter your password again.',
  two_factor_required: 'Your administrator requires two-factor authentication: please set it up first.',
  two_factor_enforced: 'Your administrator requires two-factor authentication: it cannot be turned off.',
};

export const securityErrorsEn = {
  security: { enroll_first: 'Turn on two-factor authentication for your own account first (in your profile).' },
};
