import { CRITICALITY_LABELS, CRITICALITY_RANK, CUSTOMER_STATUS_LABELS, customerSeesStatusChange } from '#shared/tickets.ts';
import { restartCountdown } from './features/lifecycle/countdown.ts';
import {
  onCriticalityChange,
  onFirstPublicReply,
  onRequestTypeChange,
  onStatusChange,
  prepareClockStart,
  recomputeRunningClocks,
} from './features/sla/clocks.ts';
import { askSurvey } from './features/survey/ask-survey.ts';
import { acknowledgeCreation, notifyCustomers } from './features/tickets/notify-customers.ts';
import { notifyAssignee } from './features/tickets/notify-assignee.ts';
import { subscriber, wireSubscribers, type AnySubscriber } from './events/publish.ts';
import { loadCalendar } from './features/calendar/calendar-store.ts';
import { flexBillingJob } from './features/flex/billing.job.ts';
import { rescheduleJob } from './jobs/define-job.ts';
import { repliesByEmail } from './config.ts';
import {
  onCriticalityChanged,
  onFlexBalanceLow,
  onMessageAdded,
  onRequestTypeChanged,
  onSlaThreshold,
  onStatusChanged,
  onSurveyAnswered,
  prepareCreatedWebhooks,
} from './features/webhooks/enqueue-webhooks.ts';

/*
 * Every reaction of one feature to another's change, in one place (CONVENTIONS.md "Features react to
 * each other through events"). A command changes its rows, records the request's history
 * (`recordEvents`) and publishes what happened; the subscribers below react. Within an event they
 * run in the order listed, which is the order the commands used to call them.
 *
 * The rule, per subscriber:
 * - In the command's transaction (phase 'in_transaction'), when the reaction must hold with the
 *   change or not at all: the SLA clocks (a status change without its clock event would misjudge
 *   the deadline), the automatic-closure countdown (the sweep must never act on a countdown the
 *   change has cancelled), the survey row. Writing an e-mail is transactional too: the subscriber
 *   writes the outbox and in-app notification rows here, and the delivery happens after commit,
 *   from the outbox (a rolled-back change sends nothing).
 * - After commit (phase 'after_commit'): work outside this database's rows that must not hold or
 *   undo the change, and may be lost to a crash between the commit and the reaction because the
 *   next start repairs it: moving the Flex billing schedule to a new zone (workers reschedule it
 *   from the calendar at every start). It runs in the process, once the transaction has committed.
 * - Anything that talks to the outside world and must happen, with retries — the delivery of mail
 *   and of webhooks — goes through a persisted outbox written in the transaction: the subscriber
 *   writes the outbox rows (`outbox` for mail, one `webhook_delivery` per matching subscription for
 *   webhooks, with the payload as the change left the request) and queues their delivery job in the
 *   same transaction; the job sends them after commit, retried from the rows.
 */

const SUBSCRIBERS: readonly AnySubscriber[] = [
  // request.created: the writes join the creation's one statement (see `prepareCreation`).
  subscriber({
    name: 'sla.start-clocks',
    on: 'request.created',
    phase: 'in_transaction',
    run: async (db, _ctx, e) => ({
      writes: e.underSla ? await prepareClockStart(db, { ticketId: e.ticketId, requestTypeId: e.requestTypeId, criticality: e.criticality, now: e.at }) : [],
    }),
  }),
  subscriber({
    name: 'mail.acknowledge-creation',
    on: 'request.created',
    phase: 'in_transaction',
    run: (db, ctx, e) => acknowledgeCreation(db, ctx, e),
  }),

  // request.status_changed
  subscriber({
    name: 'sla.status-change',
    on: 'request.status_changed',
    phase: 'in_transaction',
    run: (tx, ctx, e) => onStatusChange(tx, ctx, { id: e.ticketId, criticality: e.criticality }, e.from, e.to),
  }),
  subscriber({
    name: 'lifecycle.restart-countdown',
    on: 'request.status_changed',
    phase: 'in_transaction',
    run: (tx, ctx, e) => restartCountdown(tx, ctx, e.ticketId),
  }),
  subscriber({
    name: 'survey.ask-on-closure',
    on: 'request.status_changed',
    phase: 'in_transaction',
    run: async (tx, ctx, e) => {
      if (e.to === 'closed') await askSurvey(tx, ctx, e.ticketId);
    },
  }),
  subscriber({
    name: 'mail.status-change',
    on: 'request.status_changed',
    phase: 'in_transaction',
    run: async (tx, ctx, e) => {
      if (e.quiet) return;
      // in_progress ↔ waiting_third_party is one status to the customer: no e-mail for a change they cannot see.
      if (!customerSeesStatusChange(e.from, e.to)) return;
      const to = e.to;
      await notifyCustomers(tx, ctx, {
        ticketId: e.ticketId,
        template: 'ticket-status',
        ...(e.actorId ? { exceptUserId: e.actorId } : {}),
        params: (language, base) => ({ ...base, status: CUSTOMER_STATUS_LABELS[to][language] }),
      });
    },
  }),

  // request.criticality_changed
  subscriber({
    name: 'sla.retarget-criticality',
    on: 'request.criticality_changed',
    phase: 'in_transaction',
    run: (tx, ctx, e) => onCriticalityChange(tx, ctx, { id: e.ticketId }, e.from, e.to, e.actorId),
  }),
  subscriber({
    name: 'mail.criticality-change',
    on: 'request.criticality_changed',
    phase: 'in_transaction',
    run: (tx, ctx, e) =>
      notifyCustomers(tx, ctx, {
        ticketId: e.ticketId,
        template: 'ticket-criticality',
        params: (language, base) => ({
          ...base,
          from: CRITICALITY_LABELS[e.from][language],
          to: CRITICALITY_LABELS[e.to][language],
          reason: e.reason,
          lowered: CRITICALITY_RANK[e.to] < CRITICALITY_RANK[e.from],
        }),
      }),
  }),

  // request.type_changed
  subscriber({
    name: 'sla.retarget-request-type',
    on: 'request.type_changed',
    phase: 'in_transaction',
    run: (tx, ctx, e) => onRequestTypeChange(tx, ctx, { id: e.ticketId, criticality: e.criticality, status: e.status }, e.toRequestTypeId, e.actorId),
  }),

  // message.added: internal notes reach no customer and move no clock or countdown.
  subscriber({
    name: 'mail.public-reply',
    on: 'message.added',
    phase: 'in_transaction',
    run: async (tx, ctx, e) => {
      if (e.visibility !== 'public') return;
      await notifyCustomers(tx, ctx, {
        ticketId: e.ticketId,
        template: 'ticket-reply',
        exceptUserId: e.author.id,
        params: (_language, base) => ({ ...base, authorName: e.author.name, body: e.body, replyByEmail: repliesByEmail(ctx.config) }),
      });
    },
  }),
  subscriber({
    name: 'mail.reply-to-assignee',
    on: 'message.added',
    phase: 'in_transaction',
    run: (tx, ctx, e) => notifyAssignee(tx, ctx, e),
  }),
  subscriber({
    name: 'sla.first-public-reply',
    on: 'message.added',
    phase: 'in_transaction',
    run: async (tx, ctx, e) => {
      if (e.visibility === 'public' && e.firstPublicReply) await onFirstPublicReply(tx, ctx, e.ticketId);
    },
  }),
  subscriber({
    name: 'lifecycle.restart-countdown-on-reply',
    on: 'message.added',
    phase: 'in_transaction',
    run: async (tx, ctx, e) => {
      if (e.visibility === 'public') await restartCountdown(tx, ctx, e.ticketId);
    },
  }),

  // calendar.changed: running clocks take the new hours, holidays and zone with the change; the
  // billing schedule (pg-boss, outside the transaction) moves to the new zone once it has committed.
  subscriber({
    name: 'sla.recompute-deadlines',
    on: 'calendar.changed',
    phase: 'in_transaction',
    run: async (tx) => {
      await recomputeRunningClocks(tx, await loadCalendar(tx));
    },
  }),
  subscriber({
    name: 'flex.billing-follows-zone',
    on: 'calendar.changed',
    phase: 'after_commit',
    run: async (ctx, e) => {
      if (ctx.boss && e.timeZone.from !== e.timeZone.to) await rescheduleJob(ctx.boss, flexBillingJob, e.timeZone.to);
    },
  }),

  // Webhooks: the deliveries are written to their outbox in the transaction, one per subscription
  // to the event; the delivery job sends them after commit (features/webhooks/deliver-webhook.ts).
  subscriber({ name: 'webhooks.request-created', on: 'request.created', phase: 'in_transaction', run: prepareCreatedWebhooks }),
  subscriber({ name: 'webhooks.request-status-changed', on: 'request.status_changed', phase: 'in_transaction', run: onStatusChanged }),
  subscriber({ name: 'webhooks.request-criticality-changed', on: 'request.criticality_changed', phase: 'in_transaction', run: onCriticalityChanged }),
  subscriber({ name: 'webhooks.request-type-changed', on: 'request.type_changed', phase: 'in_transaction', run: onRequestTypeChanged }),
  subscriber({ name: 'webhooks.message-created', on: 'message.added', phase: 'in_transaction', run: onMessageAdded }),
  subscriber({ name: 'webhooks.sla-threshold', on: 'sla.threshold_reached', phase: 'in_transaction', run: onSlaThreshold }),
  subscriber({ name: 'webhooks.flex-balance-low', on: 'flex.balance_low', phase: 'in_transaction', run: onFlexBalanceLow }),
  subscriber({ name: 'webhooks.survey-answered', on: 'survey.answered', phase: 'in_transaction', run: onSurveyAnswered }),
];

wireSubscribers(SUBSCRIBERS);

export { SUBSCRIBERS };
