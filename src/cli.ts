// The `callcast` command: one of the two composition roots (the other is src/api).
import { Command } from 'commander';
import { registerServiceCommands } from './cli/service.js';
import { registerForecastCommands } from './cli/forecast.js';
import { registerStaffingCommands } from './cli/staffing.js';
import { registerSimulateCommand } from './cli/simulate.js';
import { registerReportCommands } from './cli/report.js';
import { openStoreSink } from './cli/store-sink.js';
import { registerDashboardsCommands } from './cli/dashboards.js';

const program = new Command('callcast')
  .description('Real-time analytics and workforce forecasting for contact centres')
  .showHelpAfterError();

registerServiceCommands(program);
registerForecastCommands(program);
registerStaffingCommands(program);
registerReportCommands(program);
registerSimulateCommand(program, { storeSink: openStoreSink });
registerDashboardsCommands(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`callcast: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
