/** Department connector status, for operators and the explorer. */
import type { ConnectorStatus } from '../connectors/contract';
import type { HubContext } from './context';

export async function connectorStatuses(ctx: HubContext, refresh: boolean): Promise<ConnectorStatus[]> {
  return refresh ? ctx.connectors.checkAll() : ctx.connectors.statuses();
}
