// One home for each figure: every consumer's SQL carries the shared component definitions of
// src/metrics/contacts-sql.ts (CONTACT_COMPONENTS, SURVEY_PER_CONTACT) rather than its own copy.
// Behaviour parity is checked where each consumer is tested against the API: the dashboards in
// test/dashboards/panels-sql.test.ts, the weekly report in test/reports ("figures match the API"),
// the rollup in rollup.property.test.ts.
import { describe, expect, it } from 'vitest';
import {
  CONTACT_COMPONENTS,
  CONTACT_FIGURES_BY_QUEUE_SQL,
  CONTACT_FIGURES_SQL,
  CONTACT_ROLLUP_SQL,
  SURVEY_PER_CONTACT,
} from '../../src/metrics/contacts-sql.js';
import { COUNTS } from '../../dashboards/lib/contacts-sql.js';
import { WINDOW_SQL } from '../../src/alerts/queries.js';
import { REASON_WEEKS_SQL } from '../../src/reports/queries.js';

const define = (name: keyof typeof CONTACT_COMPONENTS) => `${CONTACT_COMPONENTS[name]} AS ${name}`;
const ALL = Object.keys(CONTACT_COMPONENTS) as Array<keyof typeof CONTACT_COMPONENTS>;

describe('one definition per figure', () => {
  it('the API (one queue, by queue) and the rollup use every component', () => {
    for (const sql of [CONTACT_FIGURES_SQL, CONTACT_FIGURES_BY_QUEUE_SQL, CONTACT_ROLLUP_SQL]) {
      for (const name of ALL) expect(sql).toContain(define(name));
      expect(sql).toContain(SURVEY_PER_CONTACT);
    }
  });

  it('the dashboards count with the same components (handle time = talk + hold + wrap sums)', () => {
    for (const name of [
      'offered',
      'answered',
      'answered_within_t',
      'short_abandons',
      'abandoned',
      'abandoned_within_t',
      'abandoned_after_t',
      'handled',
      'transferred',
    ] as const)
      expect(COUNTS).toContain(define(name));
    expect(COUNTS).toContain(`${CONTACT_COMPONENTS.wait_ms} / 1000 AS wait_s`);
    expect(COUNTS).toContain(
      `${CONTACT_COMPONENTS.talk_s} + ${CONTACT_COMPONENTS.hold_s} + ${CONTACT_COMPONENTS.wrap_s} AS handle_s`,
    );
  });

  it('alerts count outcomes with the same components (only offered differs: settled contacts)', () => {
    for (const name of [
      'answered',
      'answered_within_t',
      'short_abandons',
      'abandoned',
      'abandoned_within_t',
      'abandoned_after_t',
    ] as const)
      expect(WINDOW_SQL).toContain(define(name));
    expect(WINDOW_SQL).not.toContain(define('offered'));
  });

  it('the weekly report counts survey answers with the same per-contact definition', () => {
    expect(REASON_WEEKS_SQL).toContain(SURVEY_PER_CONTACT);
  });
});
