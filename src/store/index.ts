export { openStore, withTimeout } from './client.js';
export type { Store } from './client.js';
export { migrate, loadMigrations, splitStatements } from './migrate.js';
export type { Migration, MigrationResult } from './migrate.js';
