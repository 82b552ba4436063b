import type { MessageVisibility } from '#shared/tickets-api.ts';
import type { Criticality, Status } from '#shared/tickets.ts';
import type { AppContext } from '../context.ts';

/*
 * What happened, as the owning command publishes it (the tickets feature owns the request events,
 * the calendar feature its own). An event names facts, not reactions: the command does not know who listens
 * (src/server/subscribers.ts does). Only the
 * events some subscriber needs are here; add one when a reaction needs it.
 */

/** A request was opened (its row is not written yet: see `prepareCreation`). */
export type RequestCreated = {
  type: 'request.created';
  ticketId: string;
  key: string;
  summary: string;
  organizationId: string;
  /** The reporter and the participants named at creation: the customers acknowledged. */
  customerIds: string[];
  /** The staff member who opened it for the customer, or null when the customer did. */
  openedBy: string | null;
  requestTypeId: string;
  /** Whether the request type is under SLA (read by the command with the type). */
  underSla: boolean;
  criticality: Criticality;
  at: Date;
  /** Opened in the portal (or the workspace), or from an e-mail to a desk's address or a reply to a closed request. */
  channel: 'portal' | 'email';
  /** The closed request this one follows up, or null. */
  followUpOfKey: string | null;
};

export type RequestStatusChanged = {
  type: 'request.status_changed';
  ticketId: string;
  from: Status;
  to: Status;
  /** The request's criticality when the change was made (a reopened resolution cycle takes its target). */
  criticality: Criticality;
  /** null: by the system (the automatic-closure sweep). */
  actorId: string | null;
  /** The command sends its own e-mail about this change (the automatic resolution says why and how to reopen). */
  quiet: boolean;
};

export type RequestCriticalityChanged = {
  type: 'request.criticality_changed';
  ticketId: string;
  from: Criticality;
  to: Criticality;
  reason: string | null;
  actorId: string;
};

/** The request type changed, within its desk or with a move to another desk. */
export type RequestTypeChanged = {
  type: 'request.type_changed';
  ticketId: string;
  toRequestTypeId: string;
  /** The request's criticality and status when the change was made. */
  criticality: Criticality;
  status: Status;
  actorId: string;
};

export type MessageAdded = {
  type: 'message.added';
  ticketId: string;
  messageId: string;
  visibility: MessageVisibility;
  author: { id: string; name: string; staff: boolean };
  body: string;
  /** The first public reply of Customer Services on this request. */
  firstPublicReply: boolean;
};

/**
 * The business calendar was replaced or a closure day added or removed (the calendar feature owns it).
 * Its row is saved in the transaction: a subscriber reads the new calendar from it.
 */
export type CalendarChanged = {
  type: 'calendar.changed';
  actorId: string;
  timeZone: { from: string; to: string };
};

/** The SLA sweep sent a clock's notice: 75 % of its target (warning), the target (breach) or twice it (level3). */
export type SlaThresholdReached = {
  type: 'sla.threshold_reached';
  ticketId: string;
  threshold: 'warning' | 'breach' | 'level3';
  clock: 'engagement' | 'resolution';
  targetMinutes: number;
  /** The breach instant, or null when a raised target left none. */
  deadline: Date | null;
  at: Date;
};

/** An organization's Flex balance fell under its threshold (once per fall: the flex feature re-arms it). */
export type FlexBalanceLow = {
  type: 'flex.balance_low';
  organizationId: string;
  balanceMinutes: number;
  thresholdMinutes: number;
  at: Date;
};

/** The reporter answered the satisfaction survey of a closed request. */
export type SurveyAnswered = {
  type: 'survey.answered';
  ticketId: string;
  rating: number;
  comment: string | null;
  at: Date;
};

export type DomainEvent =
  | RequestCreated
  | RequestStatusChanged
  | RequestCriticalityChanged
  | RequestTypeChanged
  | MessageAdded
  | CalendarChanged
  | SlaThresholdReached
  | FlexBalanceLow
  | SurveyAnswered;
export type EventType = DomainEvent['type'];
export type EventOf<T extends EventType> = Extract<DomainEvent, { type: T }>;

/**
 * What a reaction may use of the application: the clock, mail and configuration, and the job queue
 * when the process has one; never the HTTP request.
 */
export type EventContext = Pick<AppContext, 'clock' | 'mail' | 'config'> & { boss?: AppContext['boss'] };
