// The `callcast` command: one of the two composition roots (the other is src/api).
// Every command is registered here (names, options, help), but the modules that do the work load
// only when a command runs (dynamic import inside each action), so `callcast --help` and small
// commands start in a fraction of a second: see `npm run bench:cli`.
import { Command } from 'commander';
import { registerServiceCommands } from './cli/service.js';
import { registerForecastCommands } from './cli/forecast.js';
import { registerStaffingCommands } from './cli/staffing.js';
import { registerSimulateCommand } from './cli/simulate.js';
import { registerReportCommands } from './cli/report.js';
import { registerDashboardsCommands } from './cli/dashboards.js';

const program = new Command('callcast')
  .description('Real-time analytics and workforce forecasting for contact centres')
  .showHelpAfterError();

registerServiceCommands(program);
registerForecastCommands(program);
registerStaffingCommands(program);
registerReportCommands(program);
registerSimulateCommand(program, {
  storeSink: async () => (await import('./cli/store-sink.js')).openStoreSink(),
});
registerDashboardsCommands(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`callcast: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
