// What every Callcast dashboard shares: tags, a link bar to the others, the variables.
import { DashboardBuilder, DashboardLinkBuilder, DashboardLinkType } from '@grafana/grafana-foundation-sdk/dashboard';
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import type { RecordedQuery } from './panels.js';
import { channelVariable, queueVariable, timeZoneVariable } from './variables.js';

export interface BuiltDashboard {
  /** File name under dashboards/generated/ (the uid). */
  uid: string;
  dashboard: Dashboard;
  queries: RecordedQuery[];
}

export function callcastDashboard(
  uid: string,
  title: string,
  o: { from: string; to: string; refresh: string; description: string; variables?: ('queue' | 'channel' | 'tz')[] },
) {
  const b = new DashboardBuilder(title)
    .uid(uid)
    .description(o.description)
    .tags(['callcast'])
    .time({ from: o.from, to: o.to })
    .refresh(o.refresh)
    .timezone('browser')
    .readonly()
    .link(
      new DashboardLinkBuilder('Callcast')
        .type(DashboardLinkType.Dashboards)
        .tags(['callcast'])
        .asDropdown(true)
        .includeVars(true)
        .keepTime(true),
    );
  for (const v of o.variables ?? ['queue', 'channel', 'tz']) {
    b.withVariable(v === 'queue' ? queueVariable() : v === 'channel' ? channelVariable() : timeZoneVariable());
  }
  return b;
}
