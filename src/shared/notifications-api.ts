/**
 * In-app notifications and e-mail preferences: shapes shared by the server and the web app.
 */
import { z } from 'zod';
import { listQuerySchema } from './api.ts';
import { languageSchema } from './enums.ts';

/**
 * The kinds of e-mail a user may turn off. Every e-mail template has a category (mail/templates.ts);
 * the others are essential and always sent: account mails, a lowered criticality, escalations, the
 * closure warning and the automatic resolution.
 */
export const emailCategorySchema = z.enum(['request-created', 'request-reply', 'request-status', 'survey', 'sla-warning', 'flex-balance']);
export type EmailCategory = z.infer<typeof emailCategorySchema>;
export const EMAIL_CATEGORIES = emailCategorySchema.options;

export const notificationSchema = z
  .object({
    id: z.uuid(),
    ticketId: z.uuid(),
    template: z.string(),
    /** In the reader's current language (see the list's `language`). */
    title: z.string(),
    /** Path in the app. */
    link: z.string(),
    createdAt: z.iso.datetime({ offset: true }),
    readAt: z.iso.datetime({ offset: true }).nullable(),
  })
  .meta({ id: 'Notification' });
export type Notification = z.infer<typeof notificationSchema>;

export const notificationListQuerySchema = listQuerySchema.extend({
  limit: z.coerce.number().int().min(1).max(50).default(10),
  unread: z.enum(['true', 'false']).optional(),
  /** The language the reader reads the app in now (the titles are kept in every language); default: the profile's. */
  language: languageSchema.optional(),
});

export const unreadCountSchema = z.object({ unread: z.number().int() }).meta({ id: 'UnreadNotificationCount' });

export const markReadSchema = z
  .strictObject({
    /** Marks these; with neither ids nor ticketId, every unread notification of the user. */
    ids: z.array(z.uuid()).min(1).max(100).optional(),
    /** Marks the user's notifications about this request (its page was opened). */
    ticketId: z.uuid().optional(),
  })
  .refine((v) => !(v.ids && v.ticketId), { message: 'Give either ids or ticketId, not both.', path: ['ticketId'] });
export const markReadResultSchema = z.object({ marked: z.number().int() });

/** true: the e-mail is sent (the default); false: only the in-app notification. */
export const emailPreferencesSchema = z
  .object(Object.fromEntries(EMAIL_CATEGORIES.map((c) => [c, z.boolean()])) as Record<EmailCategory, z.ZodBoolean>)
  .meta({ id: 'EmailPreferences' });
export type EmailPreferences = z.infer<typeof emailPreferencesSchema>;

export const updateEmailPreferencesSchema = z.strictObject(
  Object.fromEntries(EMAIL_CATEGORIES.map((c) => [c, z.boolean().optional()])) as Record<EmailCategory, z.ZodOptional<z.ZodBoolean>>,
);
