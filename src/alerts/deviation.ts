// The forecast-deviation test, a pure function of counts: contacts offered so far in the queue's
// local day against its edited forecast so far. The count is tested against a negative binomial
// with the forecast as its mean (variance mean + mean²/dispersion: Poisson noise plus the
// forecast's own error), on the side the count fell. No verdict below min_expected contacts.
import { negativeBinomialLowerTail, negativeBinomialTail } from './tail.js';

const HALF_HOUR = 1_800_000;

export interface DeviationParams {
  min_expected: number;
  p_value: number;
  clear_p_value: number;
  dispersion: number;
}

export interface DeviationVerdict {
  observed: number;
  expected: number;
  /** observed ÷ expected. */
  ratio: number | null;
  /** P(X ≥ observed) when above the forecast, P(X ≤ observed) when below. */
  p_value: number;
  direction: 'above' | 'below';
  /** null: too little forecast so far to judge. */
  firing: boolean | null;
  clear: boolean;
}

/**
 * Offered so far and forecast so far from today's half-hours: completed half-hours count whole,
 * the half-hour in progress counts its contacts so far and its forecast × the elapsed fraction.
 * Half-hours without a forecast count on neither side.
 */
export function soFar(
  halfHours: readonly { start: string; offered: number; forecast_offered: number | null }[],
  now: number,
): { observed: number; expected: number } {
  let observed = 0;
  let expected = 0;
  for (const h of halfHours) {
    const start = Date.parse(h.start);
    if (start >= now || h.forecast_offered === null) continue;
    observed += h.offered;
    expected += h.forecast_offered * Math.min(1, (now - start) / HALF_HOUR);
  }
  return { observed, expected };
}

export function judgeDeviation(observed: number, expected: number, p: DeviationParams): DeviationVerdict {
  const direction = observed >= expected ? 'above' : 'below';
  const pValue =
    direction === 'above'
      ? negativeBinomialTail(observed, expected, p.dispersion)
      : negativeBinomialLowerTail(observed, expected, p.dispersion);
  const ratio = expected > 0 ? observed / expected : null;
  if (expected < p.min_expected)
    return { observed, expected, ratio, p_value: pValue, direction, firing: null, clear: true };
  return {
    observed,
    expected,
    ratio,
    p_value: pValue,
    direction,
    firing: pValue < p.p_value,
    clear: pValue >= p.clear_p_value,
  };
}
