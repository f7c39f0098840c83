/**
 * Query limits, checked once per request after validation and before any resolver runs (so a refused query
 * never reaches a department): depth, cost, and who may introspect the schema.
 *
 * Cost: what each field declares (schema/field-cost.ts): every field costs 1 per resolution, and each department
 * call it may make DEPARTMENT_CALL more; a connection multiplies its selection by `first` (default 20), another list
 * by its real maximum length (the region tree's counts, the connectors configured: `CostBounds`, read here from the
 * hub database at most every BOUNDS_TTL_MS). Refusals are QUERY_TOO_COMPLEX with the measured value and the limit.
 * Introspection (`__schema`, `__type`) is allowed for consumers with the DEVELOPER role, or in development.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { BREAK, GraphQLError, Kind, visit, type DocumentNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import type { PrismaClient } from '../prisma/client';
import type { HubContext } from '../resolvers/context';
import { regionTreeSize } from '../resolvers/region';
import { measureOperation, type CostBounds } from '../schema/field-cost';
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
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  bounds: CostBounds,
) {
  try {
    return measureOperation(schema, document, operation, variables, bounds);
  } catch (error) {
    if (error instanceof GraphQLError) return null;
    throw error;
  }
}

/**
 * What `introspects` and `measure` found for a parsed document (Apollo keeps one DocumentNode per query text):
 * both are pure functions of the document, the operation, the variables and the bounds, so a document asked
 * again with the same ones is not walked again. Bounded per document (a document asked with ever new variables
 * starts its map afresh).
 */
interface Measured {
  introspects: boolean;
  measured: ReturnType<typeof measure>;
}
const MEASURED_PER_DOCUMENT = 64;
const measuredByDocument = new WeakMap<DocumentNode, Map<string, Measured>>();
function measuredOnce(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  bounds: CostBounds,
): Measured {
  let byKey = measuredByDocument.get(document);
  if (!byKey) measuredByDocument.set(document, (byKey = new Map<string, Measured>()));
  const key = JSON.stringify([operation.name?.value ?? null, variables, bounds]);
  let found = byKey.get(key);
  if (!found) {
    if (byKey.size >= MEASURED_PER_DOCUMENT) byKey.clear();
    found = {
      introspects: introspects(operation, document),
      measured: measure(schema, document, operation, variables, bounds),
    };
    byKey.set(key, found);
  }
  return found;
}

/** How long the hub database's list bounds (region tree, consumers) are reused before they are counted again. */
const BOUNDS_TTL_MS = 30_000;

/** The hub's list bounds for the cost model: counted in the hub database, kept BOUNDS_TTL_MS. */
export function costBounds(prisma: PrismaClient): (ctx: HubContext) => Promise<CostBounds> {
  let counted: { at: number; value: Promise<Omit<CostBounds, 'connectors'>> } | undefined;
  const count = async () => {
    const [regions, consumers] = await Promise.all([regionTreeSize(prisma), prisma.consumer.count()]);
    return { regions, consumers };
  };
  return async (ctx) => {
    if (!counted || Date.now() - counted.at > BOUNDS_TTL_MS) {
      const value = count();
      counted = { at: Date.now(), value };
      // A failed count is not kept: the next request counts again.
      value.catch(() => {
        if (counted?.value === value) counted = undefined;
      });
    }
    return { ...(await counted.value), connectors: ctx.connectors.all().length };
  };
}

export interface LimitOptions {
  schema: GraphQLSchema;
  maxCost: number;
  maxDepth: number;
  introspectionForAll: boolean;
  /** The real maximum lengths of the hub's own lists (regions, consumers, connectors). */
  bounds: (ctx: HubContext) => Promise<CostBounds>;
}

export function limitsPlugin({
  schema,
  maxCost,
  maxDepth,
  introspectionForAll,
  bounds,
}: LimitOptions): ApolloServerPlugin<HubContext> {
  return {
    requestDidStart() {
      return Promise.resolve({
        async didResolveOperation({ contextValue: ctx, document, operation, request }) {
          if (!operation) return;
          const { introspects: introspecting, measured } = measuredOnce(
            schema,
            document,
            operation,
            request.variables ?? {},
            await bounds(ctx),
          );
          if (!introspectionForAll && !ctx.access.hasRole('DEVELOPER') && introspecting) {
            throw new ForbiddenError('Introspection needs the DEVELOPER role 内省需要开发者角色', {
              reason: 'INTROSPECTION_NOT_ALLOWED',
              http: { status: 403 },
            });
          }
          // Variables that do not coerce: the engine refuses the request with BAD_USER_INPUT before executing.
          if (!measured) return;
          const { depth, cost: complexity } = measured;
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
      });
    },
  };
}
