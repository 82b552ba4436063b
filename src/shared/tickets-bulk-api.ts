/** Changes to many requests at once, from the agent workspace: each applied as if made one at a time. */
import { z } from 'zod';
import { statusSchema } from './enums.ts';
import { ticketKeySchema } from './tickets-api.ts';

export const BULK_MAX = 100;

export const bulkActionSchema = z.discriminatedUnion('type', [
  /** `assigneeId: null` unassigns. */
  z.strictObject({ type: z.literal('assign'), assigneeId: z.string().min(1).max(100).nullable() }),
  z.strictObject({ type: z.literal('status'), to: statusSchema, reason: z.string().trim().min(1).max(2000).optional() }),
]);
export type BulkAction = z.infer<typeof bulkActionSchema>;

export const bulkUpdateSchema = z.strictObject({
  keys: z
    .array(ticketKeySchema)
    .min(1, 'Choose at least one request')
    .max(BULK_MAX, `At most ${BULK_MAX} requests at once`)
    .refine((keys) => new Set(keys).size === keys.length, 'A request is listed twice'),
  action: bulkActionSchema,
});
export type BulkUpdateInput = z.input<typeof bulkUpdateSchema>;

export const bulkItemResultSchema = z.object({
  key: z.string(),
  ok: z.boolean(),
  /** When refused: the stable error code (ticket.not_found, ticket.transition_not_allowed, …), its HTTP status and message. */
  error: z.object({ code: z.string(), status: z.number().int(), message: z.string() }).optional(),
});
export const bulkUpdateResultSchema = z
  .object({ items: z.array(bulkItemResultSchema), succeeded: z.number().int(), failed: z.number().int() })
  .meta({ id: 'BulkUpdateResult' });
export type BulkUpdateResult = z.infer<typeof bulkUpdateResultSchema>;
