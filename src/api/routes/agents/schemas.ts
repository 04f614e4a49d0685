// Request and answer schemas of the agents routes (TypeBox): the live view and its stream,
// attention limits, scorecards, rosters and adherence.
import Type from 'typebox';
import { AGENT_STATES } from '../../../events/index.js';

const STATES = [...AGENT_STATES, 'unknown'] as const;
export const Nullable = <T extends Type.TSchema>(t: T) => Type.Union([t, Type.Null()]);
export const QueueName = Type.String({ minLength: 1, maxLength: 128 });

export const LiveAgentSchema = Type.Object({
  agent_id: Type.String(),
  state: Type.Enum([...STATES], {
    description: '"unknown": not heard from within the silence limit, or never sent a state',
  }),
  reported_state: Nullable(Type.Enum([...AGENT_STATES])),
  state_since: Type.String({ description: 'start of the current state (at the earliest, 24 h ago)' }),
  time_in_state_s: Type.Number(),
  last_heard_at: Type.String(),
  silent_s: Type.Number(),
  queues: Type.Array(Type.String(), { description: 'queues of the latest agent.state event' }),
  contact: Nullable(
    Type.Object({ contact_id: Type.String(), queue: Nullable(Type.String()), answered_at: Type.String() }),
  ),
  queue: Nullable(Type.String({ description: "the open contact's queue" })),
  handled_today: Type.Integer(),
  handled_today_by_queue: Type.Record(Type.String(), Type.Integer()),
  limit_s: Nullable(Type.Number()),
  over_limit_s: Nullable(Type.Number()),
  attention: Nullable(Type.Enum(['over_limit', 'unknown'])),
});

export const LiveAgentsSchema = Type.Object({
  generated_at: Type.String(),
  silence_s: Type.Number(),
  queue: Nullable(Type.String()),
  counts: Type.Record(Type.String(), Type.Integer()),
  agents: Type.Array(LiveAgentSchema),
});

export const Limits = Type.Object({
  queue: Type.String(),
  wrap_up_limit_s: Type.Integer(),
  break_limit_s: Type.Integer(),
  default: Type.Boolean({ description: 'true: the queue has no limits of its own' }),
  changed_at: Nullable(Type.String()),
  changed_by: Nullable(Type.String()),
});
export const LimitsBody = Type.Object(
  {
    wrap_up_limit_s: Type.Integer({ minimum: 1, maximum: 86_400 }),
    break_limit_s: Type.Integer({ minimum: 1, maximum: 86_400 }),
  },
  { additionalProperties: false },
);

export const Query = Type.Object({ queue: Type.Optional(QueueName) });

const RatioSchema = Type.Object(
  { value: Nullable(Type.Number()) },
  {
    additionalProperties: Type.Union([Type.Number(), Type.Null()]),
    description: 'the ratio and the counts it is made of',
  },
);
export const ScorecardSchema = Type.Object({
  agent_id: Nullable(Type.String({ description: "null: the team's total" })),
  agents: Type.Array(Type.String()),
  queue: Nullable(Type.String()),
  period: Type.Enum(['day', 'week']),
  time_zone: Type.String(),
  from: Type.String(),
  to: Type.String(),
  handled: Type.Integer(),
  aht_s: RatioSchema,
  avg_talk_s: RatioSchema,
  avg_hold_s: RatioSchema,
  avg_wrap_s: RatioSchema,
  transfer_rate: RatioSchema,
  fcr_survey: RatioSchema,
  fcr_repeat: RatioSchema,
  csat_pct: RatioSchema,
  nps: RatioSchema,
  occupancy: RatioSchema,
  counts: Type.Record(Type.String(), Type.Number()),
  settings_versions: Type.Array(Type.Integer()),
  adherence: Nullable(
    Type.Object(
      {
        scheduled_min: Type.Integer(),
        in_adherence_min: Type.Integer(),
        adherence: Nullable(Type.Number()),
        planned_work_min: Type.Integer(),
        worked_min: Type.Integer(),
        conformance: Nullable(Type.Number()),
      },
      { description: "against the queue's published rosters; null without queue=" },
    ),
  ),
});
export const ScorecardQuery = Type.Object({
  period: Type.Optional(Type.Enum(['day', 'week'], { description: 'default day' })),
  date: Type.Optional(
    Type.String({ maxLength: 40, description: 'a day of the period (YYYY-MM-DD, local) or an instant; default today' }),
  ),
  queue: Type.Optional(QueueName),
  tz: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 64,
      description: "IANA zone of the day or week; default the queue's, or UTC",
    }),
  ),
});
export const TeamQuery = Type.Object({
  ...ScorecardQuery.properties,
  agents: Type.Optional(
    Type.String({
      maxLength: 16_384,
      description:
        'comma-separated agent ids; default every agent that completed a contact queued in the period (in the queue) or sent a state (naming it)',
    }),
  ),
  format: Type.Optional(Type.Enum(['json', 'csv'])),
});
const Hhmm = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$|^24:00$' });
const AssignmentSchema = Type.Object(
  {
    agent_id: Type.String({ minLength: 1, maxLength: 256 }),
    skills: Type.Array(QueueName, { maxItems: 64, description: 'queues the agent serves on this shift' }),
    date: Type.String({ pattern: '^\\d{4}-\\d\\d-\\d\\d$', description: 'local date of the shift start' }),
    start: Hhmm,
    end: Hhmm,
    breaks: Type.Array(Type.Object({ start: Hhmm, end: Hhmm }, { additionalProperties: false }), { maxItems: 8 }),
  },
  { additionalProperties: false },
);
export const RosterSchema = Type.Object({
  queue: Type.String(),
  week: Type.String(),
  version: Type.Integer(),
  published_at: Type.String(),
  published_by: Type.String(),
  assignments: Type.Array(AssignmentSchema),
});
export const RosterBody = Type.Object(
  {
    week: Type.String({ pattern: '^\\d{4}-\\d\\d-\\d\\d$', description: "the week's Monday (local)" }),
    assignments: Type.Array(AssignmentSchema, { maxItems: 20_000 }),
  },
  { additionalProperties: false },
);
const OutSchema = Type.Object({
  from: Type.String(),
  to: Type.String(),
  minutes: Type.Integer(),
  planned: Type.Enum(['work', 'break']),
  actual: Type.String(),
});
const AdherenceFigures = {
  scheduled_min: Type.Integer(),
  in_adherence_min: Type.Integer(),
  adherence: Nullable(Type.Number()),
  planned_work_min: Type.Integer(),
  worked_min: Type.Integer(),
  conformance: Nullable(Type.Number()),
};
export const AdherenceSchema = Type.Object({
  queue: Type.String(),
  date: Type.String(),
  time_zone: Type.String(),
  from: Type.String(),
  to: Type.String(),
  judged_to: Type.String(),
  roster: Nullable(Type.Object({ week: Type.String(), version: Type.Integer(), published_at: Type.String() })),
  agents: Type.Array(
    Type.Object({
      agent_id: Type.String(),
      rostered: Type.Boolean(),
      ...AdherenceFigures,
      out_of_adherence: Type.Array(OutSchema),
    }),
  ),
  team: Type.Object({ agents: Type.Integer(), ...AdherenceFigures }),
});

export const StreamQuery = Type.Object({
  queue: Type.Optional(QueueName),
  interval_ms: Type.Optional(Type.Integer({ minimum: 250, maximum: 60_000, description: 'default 2000' })),
});
