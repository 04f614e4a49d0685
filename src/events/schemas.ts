// The event contract (docs/spec.md): one TypeBox schema per event type. These schemas drive
// validation, the TypeScript types, and the OpenAPI docs of POST /v1/events.
import Type, { type Static } from 'typebox';

export const CHANNELS = ['voice', 'chat', 'email', 'messaging'] as const;
export const AGENT_STATES = ['available', 'on_contact', 'wrap_up', 'break', 'training', 'offline'] as const;

const Id = Type.String({ minLength: 1, maxLength: 256 });
const Seconds = Type.Number({ minimum: 0, maximum: 86_400 * 7 });

/** ISO-8601 with an offset (or Z), or epoch milliseconds. Range is checked after parsing. */
const Timestamp = Type.Union([Type.String({ minLength: 10, maxLength: 40 }), Type.Integer({ minimum: 0 })]);

function eventSchema<T extends string, P extends Record<string, Type.TSchema>>(type: T, properties: P) {
  return Type.Object(
    {
      event_id: Type.String({ format: 'uuid' }),
      type: Type.Literal(type),
      occurred_at: Timestamp,
      ...properties,
    },
    // Unknown fields are kept (in the raw `extra` column), never rejected or dropped.
    { additionalProperties: true, $id: type },
  );
}

export const ContactQueued = eventSchema('contact.queued', {
  contact_id: Id,
  queue: Type.String({ minLength: 1, maxLength: 128 }),
  channel: Type.Enum([...CHANNELS]),
  customer_id: Type.Optional(Id),
  reason: Type.Optional(Type.String({ maxLength: 256 })),
});

export const ContactAnswered = eventSchema('contact.answered', {
  contact_id: Id,
  agent_id: Id,
});

export const ContactAbandoned = eventSchema('contact.abandoned', {
  contact_id: Id,
});

export const ContactCompleted = eventSchema('contact.completed', {
  contact_id: Id,
  agent_id: Id,
  talk_s: Seconds,
  hold_s: Seconds,
  wrap_s: Seconds,
  transferred: Type.Optional(Type.Boolean()),
  reason: Type.Optional(Type.String({ maxLength: 256 })),
  resolved: Type.Optional(Type.Boolean()),
});

export const SurveySubmitted = eventSchema('survey.submitted', {
  contact_id: Id,
  nps: Type.Optional(Type.Integer({ minimum: 0, maximum: 10 })),
  csat: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
  fcr: Type.Optional(Type.Boolean()),
  comment: Type.Optional(Type.String({ maxLength: 16_384 })),
});

export const AgentState = eventSchema('agent.state', {
  agent_id: Id,
  state: Type.Enum([...AGENT_STATES]),
  queues: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 128 }), { maxItems: 256 })),
});

export const EVENT_SCHEMAS = {
  'contact.queued': ContactQueued,
  'contact.answered': ContactAnswered,
  'contact.abandoned': ContactAbandoned,
  'contact.completed': ContactCompleted,
  'survey.submitted': SurveySubmitted,
  'agent.state': AgentState,
} as const;

export type EventType = keyof typeof EVENT_SCHEMAS;
export const EVENT_TYPES = Object.keys(EVENT_SCHEMAS) as EventType[];

export type ContactQueuedEvent = Static<typeof ContactQueued>;
export type ContactAnsweredEvent = Static<typeof ContactAnswered>;
export type ContactAbandonedEvent = Static<typeof ContactAbandoned>;
export type ContactCompletedEvent = Static<typeof ContactCompleted>;
export type SurveySubmittedEvent = Static<typeof SurveySubmitted>;
export type AgentStateEvent = Static<typeof AgentState>;

/** Any event of the contract, as a producer sends it. */
export type CallcastEvent =
  | ContactQueuedEvent
  | ContactAnsweredEvent
  | ContactAbandonedEvent
  | ContactCompletedEvent
  | SurveySubmittedEvent
  | AgentStateEvent;

/** The whole contract as one schema, for the OpenAPI docs. */
export const AnyEvent = Type.Union(Object.values(EVENT_SCHEMAS));
