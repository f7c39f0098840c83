/**
 * Writes the audit event of every request that touched personal data, before its response is sent.
 *
 * Contract: the event records the consumer, declared purpose, operation name, SHA-256 of the document, the
 * people read (keyed hashes), the catalogue items read in full, the outcome (OK; PARTIAL when some paths
 * errored; FAILED when nothing was answered) and the request id. Fail closed: if the event cannot be committed,
 * the response is replaced by a 503 AUDIT_UNAVAILABLE error and no data leaves the hub.
 */
import type { ApolloServerPlugin, GraphQLRequestContextWillSendResponse } from '@apollo/server';
import type { HubContext } from '../../resolvers/context';
import { subjectHash, sha256 } from '../../domain/audit-chain';
import { errorBody } from '../errors';
import type { AuditTrail } from './trail';

type Body = GraphQLRequestContextWillSendResponse<HubContext>['response']['body'];

function outcomeOf(body: Body): 'OK' | 'PARTIAL' | 'FAILED' {
  if (body.kind !== 'single') return 'PARTIAL';
  const { data, errors } = body.singleResult;
  if (!errors?.length) return 'OK';
  const answered = data && Object.values(data).some((value) => value !== null);
  return answered ? 'PARTIAL' : 'FAILED';
}

export function auditPlugin(trail: AuditTrail, hmacKey: string): ApolloServerPlugin<HubContext> {
  return {
    requestDidStart() {
      return Promise.resolve({
        async willSendResponse({ contextValue: ctx, response, request, operationName, source }) {
          const body = response.body;
          const access = ctx.access;
          if (!access.auditRequired) return;
          try {
            await trail.append({
              time: new Date(),
              consumerId: access.consumer.id,
              consumerCode: access.consumer.code,
              purpose: access.purpose,
              operationName: operationName ?? request.operationName ?? null,
              documentHash: sha256(source ?? request.query ?? ''),
              subjects: [...new Set([...access.subjects].map((id) => subjectHash(hmacKey, id)))].sort(),
              catalogueItems: [...access.itemsRead].sort(),
              outcome: outcomeOf(body),
              requestId: ctx.requestId,
            });
          } catch (error) {
            ctx.logger.error({ err: error }, 'audit event could not be written; response withheld');
            response.http.status = 503;
            const message = `Audit trail unavailable; nothing is returned 审计记录写入失败，未返回数据 (request id ${ctx.requestId})`;
            response.body = {
              kind: 'single',
              singleResult: errorBody('AUDIT_UNAVAILABLE', message, { requestId: ctx.requestId }),
            };
          }
        },
      });
    },
  };
}
