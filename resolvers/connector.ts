/**
 * Department connector status, for operators and the explorer. A refresh health-checks every connector; however
 * many times one request asks (aliases), it checks once, and concurrent requests share the checks under way
 * (connectors/connector.ts). Only administrators may refresh (schema/connector.ts).
 */
import type { ConnectorStatus } from '../connectors/contract';
import type { HubContext } from './context';

const refreshed = new WeakMap<HubContext, Promise<ConnectorStatus[]>>();

export async function connectorStatuses(ctx: HubContext, refresh: boolean): Promise<ConnectorStatus[]> {
  if (!refresh) return ctx.connectors.statuses();
  let checked = refreshed.get(ctx);
  if (!checked) {
    checked = ctx.connectors.checkAll();
    refreshed.set(ctx, checked);
  }
  return checked;
}
