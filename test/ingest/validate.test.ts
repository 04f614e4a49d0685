import { describe, expect, it } from 'vitest';
import { checkPayload, MAX_EVENT_BYTES } from '../../src/events/index.js';
import { rowOf } from '../../src/events/rows.js';
import { queued, uuidFor } from '../support/events.js';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const reason = (value: unknown) => {
  const checked = checkPayload(typeof value === 'string' ? value : JSON.stringify(value), NOW);
  return checked.ok ? 'ok' : checked.error;
};

describe('the event contract', () => {
  it('accepts every event type with its fields, ISO with offset or epoch ms', () => {
    const base = { event_id: uuidFor(1), contact_id: 'c1' };
    expect(reason(queued(1))).toBe('ok');
    expect(reason({ ...base, type: 'contact.answered', occurred_at: '2026-11-23T10:00:00+02:00', agent_id: 'a' })).toBe(
      'ok',
    );
    expect(reason({ ...base, type: 'contact.abandoned', occurred_at: NOW - 1000 })).toBe('ok');
    expect(
      reason({
        ...base,
        type: 'contact.completed',
        occurred_at: NOW,
        agent_id: 'a',
        talk_s: 120,
        hold_s: 0,
        wrap_s: 30.5,
        transferred: true,
      }),
    ).toBe('ok');
    expect(
      reason({ ...base, type: 'survey.submitted', occurred_at: NOW, nps: 10, csat: 1, fcr: false, comment: '很好' }),
    ).toBe('ok');
    expect(
      reason({
        event_id: uuidFor(2),
        type: 'agent.state',
        occurred_at: NOW,
        agent_id: 'a',
        state: 'wrap_up',
        queues: ['billing'],
      }),
    ).toBe('ok');
  });

  it.each([
    ['{"event_id":', /^invalid JSON: /],
    ['[1,2]', 'an event must be a JSON object'],
    [{ ...queued(1), type: 'contact.teleported' }, 'type: unknown event type "contact.teleported"'],
    [{ event_id: uuidFor(1) }, 'missing required field type'],
    [{ ...queued(1), event_id: 'not-a-uuid' }, /^event_id: /],
    [{ ...queued(1), channel: 'fax' }, /^channel: /],
    [{ ...queued(1), queue: 7 }, /^queue: /],
    [{ ...queued(1), occurred_at: '2026-11-23 10:00:00' }, /^occurred_at: .* not ISO-8601 with an offset/],
    [{ ...queued(1), occurred_at: '2026-13-45T10:00:00Z' }, /^occurred_at: .* not a valid date-time/],
    [{ ...queued(1), occurred_at: '2026-11-25T12:00:01Z' }, 'occurred_at: more than 24 h in the future'],
    [{ ...queued(1), occurred_at: '1999-12-31T23:59:59Z' }, 'occurred_at: before 2000-01-01'],
    [{ event_id: uuidFor(1), type: 'survey.submitted', occurred_at: NOW, contact_id: 'c', nps: 11 }, /^nps: /],
    [{ event_id: uuidFor(1), type: 'survey.submitted', occurred_at: NOW, contact_id: 'c', csat: 0 }, /^csat: /],
    [{ event_id: uuidFor(1), type: 'survey.submitted', occurred_at: NOW, contact_id: 'c', nps: 7.5 }, /^nps: /],
    [
      {
        event_id: uuidFor(1),
        type: 'contact.completed',
        occurred_at: NOW,
        contact_id: 'c',
        agent_id: 'a',
        talk_s: -1,
        hold_s: 0,
        wrap_s: 0,
      },
      /^talk_s: /,
    ],
    [
      { event_id: uuidFor(1), type: 'contact.answered', occurred_at: NOW, contact_id: 'c' },
      'missing required field agent_id',
    ],
  ])('refuses %j with a reason that names the field', (payload, expected) => {
    const got = reason(payload);
    if (typeof expected === 'string') expect(got).toBe(expected);
    else expect(got).toMatch(expected);
  });

  it('refuses an oversized payload before parsing it', () => {
    const big = JSON.stringify({ ...queued(1), note: 'x'.repeat(MAX_EVENT_BYTES) });
    expect(reason(big)).toBe(`payload larger than ${MAX_EVENT_BYTES} bytes`);
  });

  it('keeps unknown fields in extra and normalises the time to UTC milliseconds', () => {
    const event = { ...queued(1), occurred_at: '2026-11-23T10:00:00.5+02:00', priority: 3, tags: ['vip'] };
    const checked = checkPayload(JSON.stringify(event), NOW);
    if (!checked.ok) throw new Error(checked.error);
    const { table, row } = rowOf(checked.event, checked.occurredAtMs, { source: 'http', requestId: 'r1' });
    expect(table).toBe('contact_events');
    expect(row.occurred_at).toBe('2026-11-23 08:00:00.500');
    expect(JSON.parse(String(row.extra))).toEqual({ priority: 3, tags: ['vip'] });
    expect(row._request_id).toBe('r1');
  });
});
