/**
 * Maps connector failures onto the hub's client-facing errors. A department that fails, times out or sends
 * data that does not validate is UPSTREAM_UNAVAILABLE for the client (with the connector, department and reason
 * in `extensions`), and so is a call the hub refused itself (reason BULKHEAD_FULL or REQUEST_CALL_BUDGET: the
 * department was not asked); a request the department rejects as malformed is the hub's own bug and stays INTERNAL.
 * Messages name the connector and the record key and field, never personal data values.
 */
import { HubError, UpstreamUnavailableError } from '../domain/errors';
import { DEPARTMENT_INTERFACES } from '../connectors/departments';
import { ConnectorError } from '../connectors/contract';

export function toHubError(error: ConnectorError): HubError | Error {
  if (error.reason === 'BAD_REQUEST' || error.reason === 'UNKNOWN_OPERATION') return error;
  const spec = DEPARTMENT_INTERFACES[error.connector];
  return new UpstreamUnavailableError(`${spec.department} ${spec.departmentEn} (${error.connector}) ${describe(error)}`, {
    connector: error.connector,
    department: spec.department,
    reason: error.reason,
    ...(error.details.field ? { field: error.details.field } : {}),
  });
}

function describe(error: ConnectorError): string {
  switch (error.reason) {
    case 'TIMEOUT':
      return 'did not answer in time 部门系统响应超时';
    case 'CIRCUIT_OPEN':
      return 'is failing; calls are paused 部门系统故障，暂停调用';
    case 'MALFORMED_RECORD':
      return `sent a record that failed validation 部门数据校验失败: ${error.message}`;
    case 'UNAUTHORIZED':
      return 'refused the hub credentials 部门系统拒绝凭据';
    case 'BULKHEAD_FULL':
      return 'was not called: too many calls in flight for this consumer or department, retry later 并发调用过多，未调用部门系统';
    case 'REQUEST_CALL_BUDGET':
      return 'was not called: this request made as many department calls as one request may 单次请求调用部门系统次数已达上限';
    default:
      return 'is unavailable 部门系统不可用';
  }
}
