// Every Callcast dashboard, in the order of the link bar.
import type { BuiltDashboard } from './lib/dashboard.js';
import { liveDashboard } from './live.js';
import { serviceLevelDashboard } from './service-level.js';
import { customerExperienceDashboard } from './customer-experience.js';
import { forecastDashboard } from './forecast.js';
import { staffingDashboard } from './staffing.js';
import { pipelineDashboard } from './pipeline.js';

export type { BuiltDashboard } from './lib/dashboard.js';

export function buildAll(): BuiltDashboard[] {
  return [
    liveDashboard(),
    serviceLevelDashboard(),
    customerExperienceDashboard(),
    forecastDashboard(),
    staffingDashboard(),
    pipelineDashboard(),
  ];
}

/** The JSON file a dashboard is committed as (stable key order as built, 2-space indent, final newline). */
export function dashboardJson(built: BuiltDashboard): string {
  return `${JSON.stringify(built.dashboard, null, 2)}\n`;
}
