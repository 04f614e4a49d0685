// The simulator's statistical behaviour: shapes, overdispersion, staffing response, surges,
// repeat contacts, and an 8-week × 5-queue history.
import { describe, expect, it } from 'vitest';
import type { CallcastEvent } from '../../src/events/schemas.js';
import { simulateHistory, type SimulateOptions } from '../../pipelines/simulate/generator.js';
import { SurgePlan, generateDayArrivals, newContact, type Contact } from '../../pipelines/simulate/arrivals.js';
import { Prng } from '../../pipelines/simulate/prng.js';
import { CompiledQueue, queueProfiles } from '../../pipelines/simulate/profiles.js';

const ms = (e: CallcastEvent) => Date.parse(e.occurred_at as string);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const variance = (xs: number[]) => {
  const m = mean(xs);
  return xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1);
};

describe('arrival process', () => {
  const billing = new CompiledQueue(queueProfiles(1)[0]!, 0);
  const monday = Date.UTC(2026, 10, 23);
  const dayTotals = (overdispersion: boolean, n: number) => {
    const rng = new Prng('dispersion');
    const out: Contact[] = [];
    const totals: number[] = [];
    for (let i = 0; i < n; i++) {
      out.length = 0;
      generateDayArrivals(
        billing,
        monday,
        monday + 86_400_000,
        new SurgePlan(billing, []),
        rng,
        { overdispersion, volumeScale: 1 },
        newContact,
        out,
      );
      totals.push(out.length);
    }
    return totals;
  };

  it('is overdispersed (negative binomial daily totals) only through the gamma day level', () => {
    // Same day replicated: Poisson alone gives variance/mean ≈ 1 (sd of the ratio ≈ √(2/(n−1)) ≈ 0.08
    // for n = 300); the gamma level (shape k = 90) adds m²/k, so the ratio is ≈ 1 + m/k ≈ 16.
    const poisson = dayTotals(false, 300);
    const nb = dayTotals(true, 300);
    const m = mean(poisson);
    expect(m).toBeGreaterThan(1300);
    expect(m).toBeLessThan(1500);
    expect(variance(poisson) / m).toBeGreaterThan(0.7);
    expect(variance(poisson) / m).toBeLessThan(1.3);
    expect(variance(nb) / mean(nb)).toBeGreaterThan(8);
    expect(Math.abs(mean(nb) - m) / m).toBeLessThan(0.03);
  });

  it('follows the intraday profile and opening hours', () => {
    const rng = new Prng('shape');
    const bySlot = new Float64Array(48);
    const out: Contact[] = [];
    for (let i = 0; i < 50; i++) {
      out.length = 0;
      generateDayArrivals(
        billing,
        monday,
        monday + 86_400_000,
        new SurgePlan(billing, []),
        rng,
        { overdispersion: true, volumeScale: 1 },
        newContact,
        out,
      );
      for (const c of out) bySlot[Math.floor((c.t - monday) / 1_800_000)]!++;
    }
    for (let s = 0; s < 16; s++) expect(bySlot[s]).toBe(0); // closed before 08:00
    for (let s = 40; s < 48; s++) expect(bySlot[s]).toBe(0); // closed from 20:00
    expect(bySlot[20]! / 50).toBeGreaterThan(2 * (bySlot[38]! / 50)); // 10:00 peak ≫ 19:00
  });
});

describe('staffing', () => {
  it('with fewer agents the same arrivals get a lower service level', () => {
    const run = (staffingFactor: number) => {
      const queued = new Map<string, number>();
      let offered = 0;
      let within = 0;
      const arrivals: string[] = [];
      for (const e of simulateHistory({
        days: 3,
        queues: 5,
        seed: 21,
        start: '2026-11-16',
        staffingFactor,
        repeatFactor: 0,
      })) {
        if (e.type === 'contact.queued') {
          queued.set(e.contact_id, ms(e));
          offered++;
          arrivals.push(`${e.contact_id}@${e.occurred_at as string}`);
        } else if (e.type === 'contact.answered' && ms(e) - queued.get(e.contact_id)! <= 20_000) within++;
      }
      return { sl: within / offered, arrivals };
    };
    const full = run(1);
    const short = run(0.75);
    expect(short.arrivals).toEqual(full.arrivals); // identical offered contacts
    expect(full.sl).toBeGreaterThan(0.7);
    expect(short.sl).toBeLessThan(full.sl - 0.15);
  });
});

describe('planted surge', () => {
  it('multiplies that reason’s arrivals after its start by about the factor, and nothing else', () => {
    // Poisson arrivals (no day-level noise, no repeats) so counts are exact Poisson draws.
    const base: SimulateOptions = {
      days: 4,
      queues: 5,
      seed: 8,
      start: '2026-11-16',
      overdispersion: false,
      repeatFactor: 0,
    };
    const surgeStart = Date.parse('2026-11-17T10:00:00Z');
    const factor = 3;
    const count = (opts: SimulateOptions) => {
      const c = { before: 0, after: 0, otherAfter: 0 };
      for (const e of simulateHistory(opts)) {
        if (e.type !== 'contact.queued') continue;
        const after = ms(e) >= surgeStart;
        if (e.reason === 'payment failed') {
          if (after) c.after++;
          else c.before++;
        } else if (after) c.otherAfter++;
      }
      return c;
    };
    const plain = count(base);
    const surged = count({ ...base, surges: [{ reason: 'payment failed', factor, start: surgeStart }] });
    // Before the start the arrival streams are the same draws.
    expect(surged.before).toBe(plain.before);
    // After it, independent Poisson counts: log(N1/N0) has sd ≈ √(1/N1 + 1/N0) (delta method).
    // Allow 4 sd around log(factor) (two-sided false-alarm chance ≈ 6e-5).
    const sd = Math.sqrt(1 / surged.after + 1 / plain.after);
    expect(plain.after).toBeGreaterThan(500);
    expect(Math.abs(Math.log(surged.after / plain.after) - Math.log(factor))).toBeLessThan(4 * sd);
    const sdOther = Math.sqrt(1 / surged.otherAfter + 1 / plain.otherAfter);
    expect(Math.abs(Math.log(surged.otherAfter / plain.otherAfter))).toBeLessThan(4 * sdOther);
  });
});

describe('eight weeks × five queues', () => {
  it('generates, with repeat contacts, weekly/intraday shape and overdispersed days', () => {
    const start = Date.UTC(2026, 8, 28); // Monday 28 Sep 2026
    const days = 56;
    const counts: Record<string, number> = {};
    const daily = new Map<string, number[]>(); // queue → contacts per day
    const techSlots = new Float64Array(48);
    const customerReason = new Map<
      string,
      { t: number; outcome: 'abandoned' | 'unresolved' | 'resolved' | 'waiting' }
    >();
    const contactKey = new Map<string, string>();
    let repeats = 0;
    let repeatsLinked = 0;
    let comments = 0;
    let chinese = 0;
    for (const e of simulateHistory({ days, queues: 5, seed: 2026, start })) {
      counts[e.type] = (counts[e.type] ?? 0) + 1;
      if (e.type === 'contact.queued') {
        const t = ms(e);
        const day = Math.floor((t - start) / 86_400_000);
        const series = daily.get(e.queue) ?? (daily.set(e.queue, new Array<number>(days).fill(0)), daily.get(e.queue)!);
        series[day]!++;
        if (e.queue === 'tech-support') techSlots[Math.floor((t % 86_400_000) / 1_800_000)]!++;
        if (e.customer_id === undefined) continue;
        const key = `${e.customer_id}|${e.reason}`;
        contactKey.set(e.contact_id, key);
        if (/^ct-[0-9a-z]+-r/.test(e.contact_id)) {
          // repeat ids: ct-<run>-r<n>; first contacts: ct-<run>-<queue>-<n>
          repeats++;
          const prev = customerReason.get(key);
          // A repeat follows an abandoned or unresolved contact of the same customer and reason, within ten days.
          if (prev && (prev.outcome === 'abandoned' || prev.outcome === 'unresolved') && t - prev.t < 10 * 86_400_000)
            repeatsLinked++;
        }
        customerReason.set(key, { t, outcome: 'waiting' });
      } else if (e.type === 'contact.abandoned' || e.type === 'contact.completed') {
        const key = contactKey.get(e.contact_id);
        const prev = key === undefined ? undefined : customerReason.get(key);
        if (prev) {
          prev.outcome = e.type === 'contact.abandoned' ? 'abandoned' : e.resolved ? 'resolved' : 'unresolved';
          prev.t = ms(e);
        }
      } else if (e.type === 'survey.submitted' && e.comment !== undefined) {
        comments++;
        if (/[\u4e00-\u9fff]/.test(e.comment)) chinese++;
      }
    }
    // Volume: about 4,400 contacts a day across the five queues.
    expect(counts['contact.queued']).toBeGreaterThan(200_000);
    expect(counts['contact.queued']).toBeLessThan(320_000);
    expect(counts['contact.answered']! + counts['contact.abandoned']!).toBeGreaterThan(
      0.99 * counts['contact.queued']!,
    );
    expect(counts['agent.state']).toBeGreaterThan(counts['contact.answered']!);
    expect(counts['survey.submitted']).toBeGreaterThan(0.1 * counts['contact.completed']!);

    // Repeat contacts: same customer and reason after an abandoned or unresolved contact.
    expect(repeats).toBeGreaterThan(5_000);
    expect(repeatsLinked / repeats).toBeGreaterThan(0.97);

    // Comments, some in Chinese.
    expect(comments).toBeGreaterThan(1000);
    expect(chinese).toBeGreaterThan(0.05 * comments);
    expect(chinese).toBeLessThan(0.25 * comments);

    // Weekly shape: billing is closed on Sundays and busiest on Mondays.
    const billing = daily.get('billing')!;
    const byDow = (series: number[], dow: number) => series.filter((_, d) => (d + 1) % 7 === dow % 7);
    expect(byDow(billing, 0).every((n) => n === 0)).toBe(true);
    expect(mean(byDow(billing, 1))).toBeGreaterThan(mean(byDow(billing, 5)));
    expect(mean(byDow(billing, 5))).toBeGreaterThan(mean(byDow(billing, 6)));

    // Intraday shape: tech-support (24/7) at its 11:00 peak vs 03:00 at night.
    expect(techSlots[22]! / days).toBeGreaterThan(4 * (techSlots[6]! / days));
    expect(techSlots[6]).toBeGreaterThan(0);

    // Overdispersion: within each weekday, daily totals vary more than Poisson (variance > mean).
    const ratios: number[] = [];
    for (const [, series] of daily) {
      for (let dow = 1; dow <= 5; dow++) {
        const xs = byDow(series, dow).filter((n) => n > 0);
        if (xs.length >= 6) ratios.push(variance(xs) / mean(xs));
      }
    }
    expect(ratios.length).toBeGreaterThan(15);
    expect(mean(ratios)).toBeGreaterThan(2);
  });
});
