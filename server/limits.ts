/**
 * Query limits, checked once per request after validation and before any resolver runs (so a refused query
 * never reaches a department): depth, cost, and who may introspect the schema.
 *
 * Cost (computed by @pothos/plugin-complexity from the field costs below): every field costs 1; a connection
 * multiplies its selection by `first` (default 20) and its `edges` list adds no further factor; any other list
 * multiplies its selection by 10. So `persons(first: 100) { edges { node { name } } }` costs about
 * 100 × (node + name) + a few. Refusals are QUERY_TOO_COMPLEX with the measured value and the limit.
 * Introspection (`__schema`, `__type`) is allowed for consumers with the DEVELOPER role, or in development.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { complexityFromQuery } from '@pothos/plugin-complexity';
import {
  BREAK,
  GraphQLError,
  Kind,
  visit,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { HubContext } from '../resolvers/context';
import { ForbiddenError, QueryTooComplexError } from '../domain/errors';

function introspects(operation: OperationDefinitionNode, document: DocumentNode): boolean {
  let found = false;
  const check = (node: DocumentNode | OperationDefinitionNode) =>
    visit(node, {
      Field(field) {
        if (field.name.value === '__schema' || field.name.value === '__type') {
          found = true;
          return BREAK;
        }
        return undefined;
      },
    });
  check(operation);
  // Fragments may hide the fields; check them too (only those of this document).
  if (!found) check({ ...document, definitions: document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION) });
  return found;
}

function measure(
  schema: GraphQLSchema,
  ctx: HubContext,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
) {
  const fragments = document.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION);
  try {
    return complexityFromQuery({ kind: Kind.DOCUMENT, definitions: [operation, ...fragments] }, { schema, ctx, variables });
  } catch (error) {
    if (error instanceof GraphQLError) return null;
    throw error;
  }
}

export interface LimitOptions {
  schema: GraphQLSchema;
  maxCost: number;
  maxDepth: number;
  introspectionForAll: boolean;
}

export function limitsPlugin({ schema, maxCost, maxDepth, introspectionForAll }: LimitOptions): ApolloServerPlugin<HubContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue: ctx, document, operation, request }) {
          if (!operation) return;
          if (!introspectionForAll && !ctx.access.hasRole('DEVELOPER') && introspects(operation, document)) {
            throw new ForbiddenError('Introspection needs the DEVELOPER role 内省需要开发者角色', {
              reason: 'INTROSPECTION_NOT_ALLOWED',
              http: { status: 403 },
            });
          }
          const measured = measure(schema, ctx, document, operation, request.variables ?? {});
          // Variables that do not coerce: the engine refuses the request with BAD_USER_INPUT before executing.
          if (!measured) return;
          const { depth, complexity } = measured;
          if (depth > maxDepth) {
            throw new QueryTooComplexError(`Query depth ${depth} exceeds the limit of ${maxDepth} 查询嵌套过深`, {
              reason: 'DEPTH',
              value: depth,
              limit: maxDepth,
            });
          }
          if (complexity > maxCost) {
            throw new QueryTooComplexError(`Query cost ${complexity} exceeds the limit of ${maxCost} 查询代价超限`, {
              reason: 'COST',
              value: complexity,
              limit: maxCost,
            });
          }
        },
      };
    },
  };
}
