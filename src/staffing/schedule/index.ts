export * from './types.js';
export { parsePatterns, parseRequirementsCsv } from './parse.js';
export { expandShifts, coveredSlots } from './expand.js';
export { buildScheduleLp } from './model.js';
export { recommendShifts, getHighs } from './solve.js';
export { DAY_NAMES, type DayName } from './time.js';
export { FieldError } from './errors.js';
