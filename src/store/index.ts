export { openStore, withTimeout, StoreInUseError } from './client.js';
export type { Store } from './client.js';
export { migrate, migrateStore, loadMigrations, splitStatements } from './migrate.js';
export type { Migration, MigrationResult } from './migrate.js';
export { withStoreSignal, currentStoreSignal } from './deadline.js';
export { EngineQueue, EngineQueueAborted } from './engine-queue.js';
export type { Lane, LaneStats } from './engine-queue.js';
export { chTime, SESSION_SETTINGS } from './time.js';
export { queryRows } from './rows.js';
