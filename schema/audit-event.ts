import { listAuditEvents, verifyAuditChainOnce } from '../resolvers/audit';
import type { ChainStatus } from '../domain/audit-chain';
import { builder } from './builder';
import { AUDIT_CHAIN_SCAN } from './field-cost';

const AuditOutcomeEnum = builder.enumType('AuditOutcome', {
  description: '请求结果 Outcome of an audited request',
  values: {
    OK: { description: '完整返回 Answered in full' },
    PARTIAL: { description: '部分返回 Answered with errors at some paths (refused fields, department failures)' },
    FAILED: { description: '未返回 Nothing answered' },
  },
});

const AuditEventRef = builder.prismaObject('AuditEvent', {
  description: '审计事件 One audited request, a link of the SHA-256 hash chain',
  fields: (t) => ({
    seq: t.string({ description: '序号 Position in the chain', resolve: (event) => event.seq.toString() }),
    time: t.expose('time', { type: 'DateTime', description: '时间 When the request was answered' }),
    consumer: t.exposeString('consumerCode', { description: '接入方 Code of the consumer that asked' }),
    purpose: t.exposeString('purpose', { description: '用途 Purpose the request declared' }),
    operationName: t.exposeString('operationName', { nullable: true, description: '操作名 GraphQL operation name' }),
    documentHash: t.exposeString('documentHash', { description: '文档摘要 SHA-256 of the GraphQL document' }),
    subjects: t.exposeStringList('subjects', {
      description: '数据主体 People read, as keyed HMAC-SHA-256 hashes of their citizen IDs',
    }),
    catalogueItems: t.exposeStringList('catalogueItems', { description: '目录项 Catalogue items read in full' }),
    outcome: t.expose('outcome', { type: AuditOutcomeEnum, description: '结果 Outcome' }),
    requestId: t.exposeString('requestId', { description: '请求编号 Request id (X-Request-Id)' }),
    prevHash: t.exposeString('prevHash', { description: '前一哈希 Hash of the previous event' }),
    hash: t.exposeString('hash', { description: '哈希 SHA-256 of this event’s canonical encoding' }),
  }),
});

const AuditEventFilterInput = builder.inputType('AuditEventFilter', {
  description: '审计筛选 Which audit events to list',
  fields: (t) => ({
    consumer: t.string({ description: '接入方 Consumer code' }),
    subjectCitizenId: t.string({ description: '数据主体 Events that read this person (citizen ID; matched by keyed hash)' }),
    purpose: t.string({ description: '用途 Purpose code' }),
    from: t.field({ type: 'DateTime', description: '起 At or after this time' }),
    to: t.field({ type: 'DateTime', description: '止 At or before this time' }),
  }),
});

builder.queryField('auditEvents', (t) =>
  t.connection(
    {
      type: AuditEventRef,
      // Nullable: a refusal or a department failure nulls only this list, not the whole response.
      nullable: true,
      authScopes: { auditor: true },
      audit: 'audit-trail',
      description: '审计事件 Audit events in chain order, oldest first (AUDITOR role; this read is audited too)',
      args: { filter: t.arg({ type: AuditEventFilterInput, description: '筛选 Filter' }) },
      resolve: (_root, args, ctx) => listAuditEvents(ctx, args.filter ?? {}, args),
    },
    {
      name: 'AuditEventConnection',
      description: '审计事件分页 A page of audit events',
    },
    { name: 'AuditEventEdge', description: '审计事件条目 An audit event with its cursor' },
  ),
);

const ChainBreakReasonEnum = builder.enumType('ChainBreakReason', {
  description: '断链原因 Why a chain link does not verify',
  values: {
    HASH_MISMATCH: { description: '内容被改 The event does not match its hash' },
    BROKEN_LINK: { description: '链接断开 The event does not follow the one before it (a row was deleted, inserted or changed)' },
    HEAD_MISSING: { description: '链头缺失 The head recorded earlier is gone or different' },
  },
});

const ChainBreakRef = builder.objectRef<NonNullable<ChainStatus['firstBroken']>>('AuditChainBreak').implement({
  description: '断链位置 The first event that does not verify',
  fields: (t) => ({
    seq: t.exposeString('seq', { description: '序号 Position of the event' }),
    reason: t.field({ type: ChainBreakReasonEnum, description: '原因 Reason', resolve: (b) => b.reason }),
    message: t.exposeString('message', { description: '说明 Explanation' }),
  }),
});

const ChainStatusRef = builder.objectRef<ChainStatus>('AuditChainStatus').implement({
  description: '审计链校验结果 Result of verifying the whole audit chain',
  fields: (t) => ({
    ok: t.exposeBoolean('ok', { description: '是否完好 Whether every event verifies' }),
    checkedEvents: t.exposeInt('checkedEvents', { description: '已校验 Events verified before the first break (all, when ok)' }),
    headSeq: t.exposeString('headSeq', { nullable: true, description: '链头序号 Seq of the last verified event' }),
    headHash: t.exposeString('headHash', { nullable: true, description: '链头哈希 Hash of the last verified event' }),
    firstBroken: t.field({
      type: ChainBreakRef,
      nullable: true,
      description: '首个断点 The first event that fails',
      resolve: (s) => s.firstBroken,
    }),
  }),
});

builder.queryField('verifyAuditChain', (t) =>
  t.field({
    type: ChainStatusRef,
    authScopes: { auditor: true },
    // Not audited itself (a refused attempt is): it reads only hashes and counts, and auditing it would extend the
    // chain it checks.
    audit: 'privileged',
    // A full scan of the trail: costed as one, and run once per request however many aliases ask.
    cost: { weight: AUDIT_CHAIN_SCAN },
    description: '校验审计链 Verifies the whole audit chain now (AUDITOR role)',
    resolve: (_root, _args, ctx) => verifyAuditChainOnce(ctx),
  }),
);
