/**
 * Reading the audit trail (auditors): filters, keyset paging in chain order, and the chain check.
 *
 * Contract: events are returned oldest first (the chain's order); `after` is a cursor from an earlier page;
 * `first` is 1-200 (default 20, as for every list). A subject filter takes a citizen ID and compares its keyed hash, so the trail
 * never needs the ID itself. Reading the trail is itself audited (declared on `auditEvents`: schema/audit-event.ts).
 */
import { z } from 'zod';
import type { AuditEvent, Prisma } from '../prisma/generated/client';
import { subjectHash, type ChainStatus } from '../domain/audit-chain';
import type { HubContext } from './context';
import { BadUserInputError } from '../domain/errors';
import { pageSize, type PageArgs } from '../domain/paging';
import { forwardConnection } from './connection';
import { parseCitizenIdArgument } from './person';

export interface AuditEventFilter {
  consumer?: string | null;
  subjectCitizenId?: string | null;
  purpose?: string | null;
  from?: Date | null;
  to?: Date | null;
}

const cursorSchema = z.string().regex(/^\d{1,19}$/);
const encodeCursor = (seq: bigint) => Buffer.from(`audit:${seq}`, 'utf8').toString('base64url');

function decodeCursor(cursor: string): bigint {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const parsed = cursorSchema.safeParse(text.replace(/^audit:/, ''));
  if (!text.startsWith('audit:') || !parsed.success) {
    throw new BadUserInputError('after is not a cursor of the audit trail 游标无效', {
      field: 'after',
      reason: 'INVALID_CURSOR',
    });
  }
  return BigInt(parsed.data);
}

export async function listAuditEvents(ctx: HubContext, filter: AuditEventFilter, args: PageArgs) {
  const first = pageSize(args);
  if (filter.from && filter.to && filter.from > filter.to) {
    throw new BadUserInputError('from must not be after to 起止时间颠倒', { field: 'filter.from', reason: 'EMPTY_RANGE' });
  }
  const where: Prisma.AuditEventWhereInput = {};
  if (filter.consumer) where.consumerCode = filter.consumer;
  if (filter.purpose) where.purpose = filter.purpose;
  if (filter.subjectCitizenId) {
    where.subjects = {
      has: subjectHash(ctx.secrets.subjectHashKey, parseCitizenIdArgument(filter.subjectCitizenId, 'filter.subjectCitizenId')),
    };
  }
  if (filter.from || filter.to)
    where.time = { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lte: filter.to } : {}) };
  const after = args.after ? decodeCursor(args.after) : null;
  const [rows, totalCount] = await Promise.all([
    ctx.prisma.auditEvent.findMany({
      where: after === null ? where : { AND: [where, { seq: { gt: after } }] },
      orderBy: { seq: 'asc' },
      take: first + 1,
    }),
    ctx.prisma.auditEvent.count({ where }),
  ]);
  const page = rows.slice(0, first);
  const edges = page.map((node: AuditEvent) => ({ cursor: encodeCursor(node.seq), node }));
  return forwardConnection(edges, rows.length > first, totalCount);
}

const verified = new WeakMap<HubContext, Promise<ChainStatus>>();

/**
 * Verifies the whole chain (a full scan of the trail), once per request however many times the request asks for
 * it (aliases share the one answer). The query cost charges the scan (schema/field-cost.ts AUDIT_CHAIN_SCAN).
 */
export function verifyAuditChainOnce(ctx: HubContext): Promise<ChainStatus> {
  let status = verified.get(ctx);
  if (!status) {
    status = ctx.auditTrail.verify();
    verified.set(ctx, status);
  }
  return status;
}
