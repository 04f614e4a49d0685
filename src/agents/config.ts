// The one setting of the live agents view, from the environment, read once when the API is built.
import { ConfigError } from '../config/index.js';

/** CALLCAST_AGENT_SILENCE_S: an agent not heard from for longer shows as "unknown". */
export const AGENT_SILENCE_VARIABLE = 'CALLCAST_AGENT_SILENCE_S';
export const DEFAULT_AGENT_SILENCE_MS = 15 * 60_000;

/** The silence (ms) after which a reported state times out to "unknown". */
export function agentSilenceMs(env: NodeJS.ProcessEnv = process.env): number {
  const text = env[AGENT_SILENCE_VARIABLE]?.trim();
  if (text === undefined || text === '') return DEFAULT_AGENT_SILENCE_MS;
  if (!/^\d+$/.test(text) || Number(text) < 10 || Number(text) > 7 * 86_400)
    throw new ConfigError(AGENT_SILENCE_VARIABLE, `expected whole seconds from 10 to 604800, got "${text}"`);
  return Number(text) * 1000;
}
