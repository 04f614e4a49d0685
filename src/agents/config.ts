// The one setting of the live agents view. Like every variable it is read and checked in
// src/config/env.ts (a bad value names it); re-exported here for the agents view and its tests.
export { agentSilenceMs, DEFAULT_AGENT_SILENCE_MS } from '../config/env.js';

/** CALLCAST_AGENT_SILENCE_S: an agent not heard from for longer shows as "unknown". */
export const AGENT_SILENCE_VARIABLE = 'CALLCAST_AGENT_SILENCE_S';
