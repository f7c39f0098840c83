/**
 * Writes the audit event of every request that touched personal data, before its response is sent: each HTTP
 * request (the Apollo plugin) and each result a subscription delivers (`auditSubscriptionResult`, from the
 * graphql-ws server's `onNext`).
 *
 * Contract: the event records the consumer, declared purpose, operation name, SHA-256 of the document, the
 * people read (keyed hashes), the catalogue items read in full, the outcome (OK; PARTIAL when some paths
 * errored; FAILED when nothing was answered) and the request id. Fail closed: if the event cannot be committed,
 * the response is replaced by a 503 AUDIT_UNAVAILABLE error (a subscription result by that error) and no data
 * leaves the hub. A subscription's context lives as long as the subscription: after each delivered result its
 * people and items are cleared, so every event records what that one result returned.
 */
import type { ApolloServerPlugin, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import type { ExecutionResult, FormattedExecutionResult } from 'graphql';
import type { HubContext } from '../../resolvers/context';
import { subjectHash, sha256 } from '../../domain/audit-chain';
import { errorBody } from '../errors';
import type { AuditTrail } from './trail';

type Body = GraphQLRequestContextWillSendResponse<HubContext>['response']['body'];

function outcomeOfResult({ data, errors }: { data?: unknown; errors?: readonly unknown[] }): 'OK' | 'PARTIAL' | 'FAILED' {
  if (!errors?.length) return 'OK';
  const answered = typeof data === 'object' && data !== null && Object.values(data).some((value) => value !== null);
  return answered ? 'PARTIAL' : 'FAILED';
}

function outcomeOf(body: Body): 'OK' | 'PARTIAL' | 'FAILED' {
  if (body.kind !== 'single') return 'PARTIAL';
  return outcomeOfResult(body.singleResult);
}

/** Appends the audit event of one answered request (or one delivered subscription result). */
function appendEvent(
  trail: AuditTrail,
  hmacKey: string,
  ctx: HubContext,
  operation: { name: string | null; document: string; outcome: 'OK' | 'PARTIAL' | 'FAILED' },
) {
  const access = ctx.access;
  return trail.append({
    time: new Date(),
    consumerId: access.consumer.id,
    consumerCode: access.consumer.code,
    purpose: access.purpose,
    operationName: operation.name,
    documentHash: sha256(operation.document),
    subjects: [...new Set([...access.subjects].map((id) => subjectHash(hmacKey, id)))].sort(),
    catalogueItems: [...access.itemsRead].sort(),
    outcome: operation.outcome,
    requestId: ctx.requestId,
  });
}

const unavailable = (requestId: string) =>
  `Audit trail unavailable; nothing is returned 审计记录写入失败，未返回数据 (request id ${requestId})`;

export function auditPlugin(trail: AuditTrail, hmacKey: string): ApolloServerPlugin<HubContext> {
  return {
    requestDidStart() {
      return Promise.resolve({
        async willSendResponse({ contextValue: ctx, response, request, operationName, source }) {
          const body = response.body;
          if (!ctx.access.auditRequired) return;
          try {
            await appendEvent(trail, hmacKey, ctx, {
              name: operationName ?? request.operationName ?? null,
              document: source ?? request.query ?? '',
              outcome: outcomeOf(body),
            });
          } catch (error) {
            ctx.logger.error({ err: error }, 'audit event could not be written; response withheld');
            response.http.status = 503;
            response.body = {
              kind: 'single',
              singleResult: errorBody('AUDIT_UNAVAILABLE', unavailable(ctx.requestId), { requestId: ctx.requestId }),
            };
          }
        },
      });
    },
  };
}

/**
 * The audit step of one subscription result, before it is sent: nothing when the result read no personal data,
 * else its event (then the result goes out as it is), or, when the event cannot be written, the error instead.
 */
export async function auditSubscriptionResult(
  trail: AuditTrail,
  hmacKey: string,
  ctx: HubContext,
  operation: { name: string | null; document: string },
  result: ExecutionResult,
): Promise<FormattedExecutionResult | undefined> {
  const access = ctx.access;
  if (!access.auditRequired) return undefined;
  try {
    await appendEvent(trail, hmacKey, ctx, { ...operation, outcome: outcomeOfResult(result) });
    return undefined;
  } catch (error) {
    ctx.logger.error({ err: error }, 'audit event could not be written; subscription result withheld');
    return errorBody('AUDIT_UNAVAILABLE', unavailable(ctx.requestId), { requestId: ctx.requestId });
  } finally {
    access.clearNotes();
  }
}
