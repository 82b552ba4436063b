import { twoFactorEn } from '../two-factor/en.ts';

/**
 * The texts of a person's own account settings (two-factor authentication, API tokens): downloaded with
 * the profile, the two-factor set-up and the log-in's code step, not with the first pages.
 */
export const accountEn = {
  twoFactor: twoFactorEn,
  apiTokens: {
    title: 'API tokens',
    text: 'A token lets a program (your ERP, a script) use the Guichet API in your name, with your rights and never more. Send it as "Authorization: Bearer …".',
    new: 'New token',
    newTitle: 'New API token',
    name: 'Name',
    nameHint: 'What the token is for, e.g. "ERP sync".',
    scopes: 'Permissions',
    scopesRequired: 'Choose at least one permission.',
    scopeNames: { requests_read: 'Read requests', requests_write: 'Create and change requests', admin: 'Administration' },
    scopeHints: {
      requests_read: 'Read requests, messages and everything else you can see.',
      requests_write: 'Create requests, reply and make every other change you may make.',
      admin: 'Use the administration functions.',
    },
    expiry: 'Expires',
    expiryDays_one: 'In {{count}} day',
    expiryDays_other: 'In {{count}} days',
    expiryNever: 'Never',
    create: 'Create the token',
    secretTitle: 'Token “{{name}}” created',
    secretWarningTitle: 'Copy it now',
    secretWarning: 'This is the only time the token is shown. Keep it like a password: anyone who has it can act in your name.',
    secretUsage: 'Send it in the header Authorization: Bearer followed by the token.',
    copy: 'Copy the token',
    copied: 'Copied',
    secretDone: 'I have copied it',
    kinds: { personal: 'Personal', service: 'Service account' },
    owner: 'Owner',
    expires: 'Expires',
    lastUsed: 'Last used',
    neverUsed: 'Never used',
    status: 'Status',
    statuses: { active: 'Active', expired: 'Expired', revoked: 'Revoked' },
    revoke: 'Revoke',
    revokeLabel: 'Revoke the token {{name}}',
    revokeTitle: 'Revoke the token “{{name}}”?',
    revokeText: 'Programs using it will be refused at once. This cannot be undone.',
    revoked: 'The token “{{name}}” has been revoked.',
    empty: 'No token yet.',
  },
};
