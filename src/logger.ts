// One pino logger per process: JSON lines to stdout (structured logs for machines).
import { pino, type Logger } from 'pino';
import type { LogLevel } from './config/index.js';

export function createLogger(level: LogLevel, name = 'callcast'): Logger {
  return pino({ name, level });
}
