import { builder } from './builder';
import type { ConnectorStatus } from '../connectors/contract';
import { connectorStatuses } from '../resolvers/connector';

const ConnectorHealthEnum = builder.enumType('ConnectorHealth', {
  description: '部门连接器状态 Health of a department connector',
  values: {
    UP: { description: '正常 The department answers normally' },
    DEGRADED: { description: '降级 The department answers slowly or some recent calls failed' },
    DOWN: { description: '中断 The department does not answer, or calls are paused after repeated failures' },
  },
});

const ConnectorTransportEnum = builder.enumType('ConnectorTransport', {
  description: '连接方式 How the hub reaches a department',
  values: {
    HTTP: { value: 'http', description: 'HTTP 接口 The department exchange HTTP JSON API' },
    SQL: { value: 'sql', description: '前置库 A read-only exchange database (SQL views)' },
  },
});

const ConnectorStatusRef = builder.objectRef<ConnectorStatus>('ConnectorStatus').implement({
  description: '部门连接器状态 Status of the connector to one department system',
  fields: (t) => ({
    name: t.exposeString('name', { description: '连接器名称 Connector name, e.g. public-security' }),
    department: t.exposeString('department', { description: '部门 Department, e.g. 公安' }),
    transport: t.field({
      type: ConnectorTransportEnum,
      description: '连接方式 Transport',
      resolve: (status) => status.transport,
    }),
    status: t.field({ type: ConnectorHealthEnum, description: '状态 Health', resolve: (status) => status.status }),
    latencyMs: t.exposeInt('latencyMs', {
      nullable: true,
      description: '延迟 Latency of the last health check in milliseconds; null before the first check',
    }),
    lastError: t.exposeString('lastError', {
      nullable: true,
      description: '最近错误 The most recent failure, without personal data; null if none',
    }),
    checkedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: '检查时间 When the department was last health-checked',
      resolve: (status) => status.checkedAt,
    }),
  }),
});

builder.queryField('connectors', (t) =>
  t.field({
    type: [ConnectorStatusRef],
    // Anyone may read the last known status; checking every department now is for administrators (a refused
    // attempt is audited), once per request however many aliases ask (resolvers/connector.ts).
    authScopes: (_root, args) => (args.refresh ? { admin: true } : true),
    audit: 'privileged',
    cost: {
      department: 'each',
      calls: (args, bounds) => (args.refresh ? bounds.connectors : 0),
      maxLength: (_args, bounds) => bounds.connectors,
    },
    description: '部门连接器状态 Status of every configured department connector (refresh: ADMIN role)',
    args: {
      refresh: t.arg.boolean({
        defaultValue: false,
        description: '立即检查 Health-check every department now instead of returning the last known status (ADMIN role)',
      }),
    },
    resolve: (_root, args, ctx) => connectorStatuses(ctx, args.refresh ?? false),
  }),
);
