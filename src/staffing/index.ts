// Staffing: Erlang C/A sizing, requirements, what-if, intraday and shift recommendation.
// Pure functions; the API and CLI do the I/O.
export { erlangB, erlangC, erlangCFromB, erlangCMetricsFromB, type QueueMetrics } from './erlang-c.js';
export { erlangA, erlangAMetricsFromB } from './erlang-a.js';
export { requiredAgents, evaluateStaffing, grossUp, offeredLoad } from './required.js';
export * from './types.js';
export * from './requirements.js';
export * from './patience.js';
export * from './whatif.js';
export * from './intraday.js';
export * as schedule from './schedule/index.js';
export * from './inputs.js';
