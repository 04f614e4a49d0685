export { loadConfig, ConfigError } from './env.js';
export type { Config, StoreConfig, KafkaConfig, IngestConfig, LogLevel } from './env.js';
