// The event parser under hostile input (no store): whatever arrives, checkPayload / checkEvent and
// the batch preparation never throw, and give either a row with the exact values or a dead
// letter whose reason names the field.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkEvent, checkPayload, MAX_NESTING, rowOf, type CallcastEvent } from '../../src/events/index.js';
import { addPayload, addValue, emptyBatch, rowCount } from '../../pipelines/ingest/prepare.js';
import { queued, uuidFor } from '../support/events.js';
import { NOW, MAX_MS, MIN_MS, chText, loneSurrogate, nastyString, validEvent, wrongTypeFor } from './arbitraries.js';

const RUNS = 300;
const ref = { source: 'http' as const, requestId: 'r', item: 0 };

/** Every string column of a row, and the value the event gave it (defaults where optional). */
function expectedRow(event: CallcastEvent, ms: number): Record<string, unknown> {
  const e = event as unknown as Record<string, unknown>;
  const base = { event_id: e.event_id, occurred_at: chText(ms), extra: '' };
  switch (event.type) {
    case 'survey.submitted':
      return {
        ...base,
        contact_id: e.contact_id,
        nps: e.nps ?? null,
        csat: e.csat ?? null,
        fcr: e.fcr ?? null,
        comment: e.comment ?? '',
      };
    case 'agent.state':
      return { ...base, agent_id: e.agent_id, state: e.state, queues: e.queues ?? [] };
    default:
      return {
        ...base,
        type: e.type,
        contact_id: e.contact_id,
        queue: e.queue ?? '',
        channel: e.channel ?? '',
        customer_id: e.customer_id ?? '',
        reason: e.reason ?? '',
        agent_id: e.agent_id ?? '',
        talk_s: e.talk_s ?? 0,
        hold_s: e.hold_s ?? 0,
        wrap_s: e.wrap_s ?? 0,
        transferred: e.transferred ?? null,
        resolved: e.resolved ?? null,
      };
  }
}

describe('never throws', () => {
  it('on arbitrary text, random bytes decoded as UTF-8, and arbitrary JSON values', () => {
    const check = (raw: string) => {
      const checked = checkPayload(raw, NOW);
      if (!checked.ok) expect(checked.error.length).toBeGreaterThan(0);
      const batch = emptyBatch();
      addPayload(batch, raw, ref, NOW);
      expect(batch.errors).toHaveLength(1);
      expect(rowCount(batch) + batch.deadLetters.length).toBe(1);
    };
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), check), { numRuns: RUNS });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => check(Buffer.from(bytes).toString('utf8'))),
      { numRuns: RUNS },
    );
    fc.assert(
      fc.property(fc.jsonValue(), (value) => check(JSON.stringify(value))),
      { numRuns: RUNS },
    );
    fc.assert(
      fc.property(
        fc.anything({
          withNullPrototype: true,
          withBigInt: true,
          withDate: true,
          withMap: true,
          withSet: true,
          withTypedArray: true,
          withSparseArray: true,
        }),
        (value) => {
          const batch = emptyBatch();
          addValue(batch, value, ref, NOW);
          expect(batch.errors).toHaveLength(1);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('on event-shaped objects whose fields hold anything, naming the field when refused', () => {
    const fields = [
      'event_id',
      'occurred_at',
      'contact_id',
      'queue',
      'channel',
      'customer_id',
      'reason',
      'agent_id',
      'talk_s',
      'hold_s',
      'wrap_s',
      'transferred',
      'resolved',
      'nps',
      'csat',
      'fcr',
      'comment',
      'state',
      'queues',
    ];
    fc.assert(
      fc.property(
        validEvent,
        fc.constantFrom(...fields),
        fc.oneof(fc.jsonValue({ maxDepth: 3 }), loneSurrogate, nastyString()),
        ({ event }, field, value) => {
          const hostile = { ...event, [field]: value } as Record<string, unknown>;
          const checked = checkEvent(hostile, NOW);
          if (checked.ok) return;
          // The reason starts with the field it is about.
          expect(checked.error).toMatch(new RegExp(`^(${field}(\\.\\d+)?: |missing required field ${field}$)`));
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('valid events', () => {
  it('become rows with exactly the values sent, whatever the strings hold', () => {
    fc.assert(
      fc.property(validEvent, ({ event, ms }) => {
        const checked = checkPayload(JSON.stringify(event), NOW);
        if (!checked.ok) throw new Error(`${checked.error} for ${JSON.stringify(event)}`);
        expect(checked.occurredAtMs).toBe(ms);
        const { row } = rowOf(checked.event, checked.occurredAtMs, ref);
        expect(row).toMatchObject(expectedRow(event, ms));
      }),
      { numRuns: RUNS },
    );
  });

  it('every field given a value of the wrong type is refused naming that field', () => {
    const kinds = {
      contact_id: 'string',
      queue: 'string',
      agent_id: 'string',
      talk_s: 'number',
      hold_s: 'number',
      wrap_s: 'number',
      nps: 'integer',
      csat: 'integer',
      fcr: 'boolean',
      transferred: 'boolean',
      queues: 'array',
      comment: 'string',
      event_id: 'string',
    } as const;
    const typeOf = {
      contact_id: 'contact.queued',
      queue: 'contact.queued',
      agent_id: 'contact.completed',
      talk_s: 'contact.completed',
      hold_s: 'contact.completed',
      wrap_s: 'contact.completed',
      nps: 'survey.submitted',
      csat: 'survey.submitted',
      fcr: 'survey.submitted',
      transferred: 'contact.completed',
      queues: 'agent.state',
      comment: 'survey.submitted',
      event_id: 'contact.queued',
    } as const;
    const cases = fc.constantFrom(...(Object.keys(kinds) as (keyof typeof kinds)[])).chain((field) =>
      fc.tuple(
        fc.constant(field),
        wrongTypeFor(kinds[field]),
        validEvent.filter(({ event }) => event.type === typeOf[field]),
      ),
    );
    fc.assert(
      fc.property(cases, ([field, value, { event }]) => {
        const checked = checkEvent({ ...event, [field]: value }, NOW);
        expect(checked.ok).toBe(false);
        if (!checked.ok) expect(checked.error).toMatch(new RegExp(`^${field}: `));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('timestamps at the limits', () => {
  // Independent reference: the fields are checked by hand and the instant built with Date.UTC.
  const parts = fc.record({
    year: fc.oneof(fc.integer({ min: 1970, max: 2027 }), fc.constantFrom(1969, 1999, 2000, 2299, 2300, 9999)),
    month: fc.integer({ min: 0, max: 13 }),
    day: fc.integer({ min: 0, max: 32 }),
    hour: fc.integer({ min: 0, max: 25 }),
    minute: fc.integer({ min: 0, max: 60 }),
    second: fc.integer({ min: 0, max: 61 }),
    frac: fc.constantFrom('', '.5', '.123', '.999999999', '.000001'),
    offH: fc.integer({ min: 0, max: 16 }),
    offM: fc.constantFrom(0, 30, 45, 59, 60),
    sign: fc.constantFrom('+', '-', 'Z'),
  });
  const p = (n: number, w = 2) => String(n).padStart(w, '0');

  it('give the right UTC instant or a reason naming occurred_at, never a rolled-over date', () => {
    fc.assert(
      fc.property(parts, (t) => {
        const offset = t.sign === 'Z' ? 'Z' : `${t.sign}${p(t.offH)}:${p(t.offM)}`;
        const text = `${p(t.year, 4)}-${p(t.month)}-${p(t.day)}T${p(t.hour)}:${p(t.minute)}:${p(t.second)}${t.frac}${offset}`;
        const checked = checkEvent({ ...queued(1), occurred_at: text }, NOW);
        const daysInMonth =
          [
            31,
            t.year % 4 === 0 && (t.year % 100 !== 0 || t.year % 400 === 0) ? 29 : 28,
            31,
            30,
            31,
            30,
            31,
            31,
            30,
            31,
            30,
            31,
          ][t.month - 1] ?? 0;
        const offsetMin = t.sign === 'Z' ? 0 : (t.sign === '+' ? 1 : -1) * (t.offH * 60 + t.offM);
        const real =
          t.month >= 1 &&
          t.month <= 12 &&
          t.day >= 1 &&
          t.day <= daysInMonth &&
          t.hour <= 23 &&
          t.minute <= 59 &&
          t.second <= 59 &&
          (t.sign === 'Z' || (t.offM <= 59 && Math.abs(offsetMin) <= 14 * 60));
        if (!real) {
          expect(checked).toMatchObject({
            ok: false,
            error: expect.stringMatching(/^occurred_at: ".*" is not a valid date-time/),
          });
          return;
        }
        const millis = t.frac === '' ? 0 : Math.floor(Number(`0${t.frac}`) * 1000 + 1e-9);
        const ms = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second, millis) - offsetMin * 60_000;
        if (ms < MIN_MS) expect(checked).toMatchObject({ ok: false, error: 'occurred_at: before 2000-01-01' });
        else if (ms > MAX_MS)
          expect(checked).toMatchObject({ ok: false, error: 'occurred_at: more than 24 h in the future' });
        else {
          expect(checked).toMatchObject({ ok: true, occurredAtMs: ms });
          if (checked.ok) expect(rowOf(checked.event, checked.occurredAtMs, ref).row.occurred_at).toBe(chText(ms));
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('name the problem for impossible calendar dates, 24:00, leap seconds and offsets past ±14:00', () => {
    const reason = (occurred_at: unknown) => {
      const checked = checkEvent({ ...queued(1), occurred_at }, NOW);
      return checked.ok ? `ok ${checked.occurredAtMs}` : checked.error;
    };
    expect(reason('2026-02-31T00:00:00Z')).toBe(
      'occurred_at: "2026-02-31T00:00:00Z" is not a valid date-time (day 31 does not exist in 2026-02)',
    );
    expect(reason('2024-02-29T00:00:00Z')).toBe(`ok ${Date.UTC(2024, 1, 29)}`);
    expect(reason('2026-11-02T24:00:00Z')).toBe(
      'occurred_at: "2026-11-02T24:00:00Z" is not a valid date-time (time 24:00 does not exist)',
    );
    expect(reason('2016-12-31T23:59:60Z')).toBe(
      'occurred_at: "2016-12-31T23:59:60Z" is not a valid date-time (leap seconds (:60) cannot be stored)',
    );
    expect(reason('2026-11-02T09:00:00+14:01')).toBe(
      'occurred_at: "2026-11-02T09:00:00+14:01" is not a valid date-time (offset +14:01 is outside ±14:00)',
    );
    expect(reason('2026-11-02T09:00:00+14:00')).toBe(`ok ${Date.UTC(2026, 10, 1, 19)}`);
    expect(reason('2026-11-02T09:00:00-14:00')).toBe(`ok ${Date.UTC(2026, 10, 2, 23)}`);
    expect(reason('2026-11-02T09:00:00.123456789+0530')).toBe(`ok ${Date.UTC(2026, 10, 2, 3, 30, 0, 123)}`);
    expect(reason('1970-01-01T00:00:00Z')).toBe('occurred_at: before 2000-01-01');
    expect(reason('2299-12-31T23:59:59.999Z')).toBe('occurred_at: more than 24 h in the future');
    expect(reason('+275760-09-13T00:00:00Z')).toBe(
      'occurred_at: "+275760-09-13T00:00:00Z" is not ISO-8601 with an offset',
    );
  });

  it('epoch milliseconds: only whole numbers inside [2000-01-01, now + 24 h]', () => {
    const extremes = fc.oneof(
      fc.integer(),
      fc.double(),
      fc.constantFrom(
        -1,
        0,
        MIN_MS - 1,
        MIN_MS,
        MAX_MS,
        MAX_MS + 1,
        Number.MAX_SAFE_INTEGER,
        2 ** 53,
        8.64e15,
        8.64e15 + 1,
        1e21,
        -0,
        1.5e12 + 0.5,
      ),
    );
    fc.assert(
      fc.property(extremes, (value) => {
        const checked = checkPayload(JSON.stringify({ ...queued(1), occurred_at: value }), NOW);
        const parsed = JSON.parse(JSON.stringify(value)) as number | null;
        if (typeof parsed === 'number' && Number.isInteger(parsed) && parsed >= MIN_MS && parsed <= MAX_MS) {
          expect(checked).toMatchObject({ ok: true, occurredAtMs: parsed });
        } else {
          expect(checked).toMatchObject({ ok: false, error: expect.stringMatching(/^occurred_at: /) });
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe('shapes that used to slip through', () => {
  it('a lone UTF-16 surrogate in any string field or field name is dead-lettered naming the field (ClickHouse refuses the whole insert over one)', () => {
    fc.assert(
      fc.property(
        validEvent,
        loneSurrogate,
        fc.constantFrom('contact_id', 'agent_id', 'queue', 'comment', 'reason', 'note', 'nested'),
        ({ event }, bad, field) => {
          const e = { ...event } as Record<string, unknown>;
          const value = field === 'nested' ? { deeper: [`x${bad}`] } : `ok${bad}`;
          const present = field in e || field === 'note' || field === 'nested';
          if (!present) return;
          e[field] = value;
          const checked = checkEvent(e, NOW);
          const where = field === 'nested' ? 'nested.deeper.0' : field;
          // a schema error (maxLength, enum) may come first; it names the same field
          expect(checked).toMatchObject({
            ok: false,
            error: expect.stringMatching(new RegExp(`^${where.replace(/\./g, '\\.')}: `)),
          });
        },
      ),
      { numRuns: RUNS },
    );
    const key = checkEvent({ ...queued(1), ['k\ud800']: 1 }, NOW);
    expect(key).toMatchObject({ ok: false, error: 'k\ud800: field name is not valid Unicode (a lone surrogate)' });
    // the dead letter itself is storable: the reason's surrogate becomes U+FFFD
    const batch = emptyBatch();
    addValue(batch, { ...queued(1), ['k\ud800']: 1 }, ref, NOW);
    expect(batch.deadLetters[0]!.error).toBe('k\ufffd: field name is not valid Unicode (a lone surrogate)');
    expect(batch.deadLetters[0]!.raw).toBe(JSON.stringify({ ...queued(1), ['k\ud800']: 1 }));
  });

  it('unknown fields nested 10,000 deep are dead-lettered, not a stack overflow, and the raw keeps the first levels', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 10_000; i++) deep = [deep];
    const event = { ...queued(1), note: deep };
    expect(checkEvent(event, NOW)).toMatchObject({
      ok: false,
      error: `note${'.0'.repeat(MAX_NESTING)}: nested deeper than ${MAX_NESTING} levels`,
    });
    const batch = emptyBatch();
    addValue(batch, event, ref, NOW);
    expect(batch.errors).toHaveLength(1);
    const raw = String(batch.deadLetters[0]!.raw);
    expect(raw.startsWith(`{"event_id":"${uuidFor(1)}"`)).toBe(true);
    expect(raw).toContain(`(nested deeper than ${MAX_NESTING} levels: cut)`);
    // the same nesting as a raw payload (Kafka, NDJSON): under 64 KiB, parsed, then refused
    const text = `${JSON.stringify(queued(1)).slice(0, -1)},"note":${'['.repeat(10_000)}"bottom"${']'.repeat(10_000)}}`;
    expect(checkPayload(text, NOW)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^note\.0\.0.*: nested deeper than 64 levels$/),
    });
    // 64 levels are fine
    let ok: unknown = 1;
    for (let i = 0; i < MAX_NESTING - 1; i++) ok = [ok];
    expect(checkEvent({ ...queued(1), note: ok }, NOW).ok).toBe(true);
  });

  it('a type named after an Object.prototype member is an unknown type, not a crash (it threw "Check is not a function")', () => {
    for (const type of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) {
      expect(checkEvent({ ...queued(1), type }, NOW)).toMatchObject({
        ok: false,
        error: `type: unknown event type "${type}"`,
      });
      expect(checkPayload(JSON.stringify({ ...queued(1), type }), NOW)).toMatchObject({
        ok: false,
        error: `type: unknown event type "${type}"`,
      });
    }
  });

  it('a field called __proto__ is kept in extra like any unknown field', () => {
    const checked = checkPayload(`{"__proto__": {"polluted": true}, ${JSON.stringify(queued(1)).slice(1)}`, NOW);
    if (!checked.ok) throw new Error(checked.error);
    expect(rowOf(checked.event, checked.occurredAtMs, ref).row.extra).toBe('{"__proto__":{"polluted":true}}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('an item of a JSON array body is held to the same 64 KiB as a payload', () => {
    const batch = emptyBatch();
    addValue(batch, { ...queued(1), note: 'x'.repeat(70_000) }, ref, NOW);
    addValue(batch, { ...queued(2), note: 'x'.repeat(60_000) }, ref, NOW);
    expect(batch.errors).toEqual(['unknown fields larger than 65536 bytes', null]);
    expect(batch.deadLetters[0]).toMatchObject({ event_id: uuidFor(1), type: 'contact.queued' });
  });
});
