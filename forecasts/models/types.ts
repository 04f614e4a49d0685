// The one contract every model shares (statsforecast-style): fit on history, predict h steps.
// Models are pure: typed arrays in, typed arrays out, no I/O, no randomness.

/** Shape of the calendar. The history always starts at slot 0 of day 0 (the pipeline trims a partial first day). */
export interface SeriesShape {
  /** intervals per day (48 for half-hours over 24 h; fewer when only open hours are kept) */
  season: number;
  /** days per week (7, or 5 for weekdays-only input) */
  week: number;
}

/** Special days (holidays): one code per day, from day 0 of the history through the end of the horizon; 0 = ordinary. */
export interface SpecialDays {
  codes: Int32Array;
}

export interface ModelInput {
  y: Float64Array;
  shape: SeriesShape;
  /** only passed to models with `nativeSpecialDays`; the others get a cleaned history */
  special?: SpecialDays;
  /**
   * 1 where y was imputed, not observed (a missing day of the calendar): level-following models
   * skip their error-driven updates there and regressions leave those rows out.
   */
  missing?: Uint8Array;
}

export interface FittedModel {
  predict(h: number): Float64Array;
  /** special-day codes whose effect the model learned itself (the orchestrator leaves those alone) */
  readonly handledCodes?: ReadonlySet<number>;
}

export interface ForecastModel {
  /** unique name used in outputs, options and backtest reports */
  readonly alias: string;
  /** true if the model wants the raw history plus special-day codes instead of a cleaned history */
  readonly nativeSpecialDays?: boolean;
  /** fewest history points the model needs */
  minLength(shape: SeriesShape): number;
  fit(input: ModelInput): FittedModel;
}

export const weekLength = (s: SeriesShape): number => s.season * s.week;
