/**
 * What a query costs, for the query-cost limit (server/limits.ts measures each operation once per request, after
 * validation and before any resolver runs, so a refused query never reaches a department). What a field costs is
 * declared on the field, in its `cost` option (`FieldCost` below), never guessed from its name.
 *
 * A query costs the sum, over every field it selects, of what one resolution of the field costs times how many
 * times it may resolve:
 * - one resolution: 1 (a connection's `edges`: 0), or the field's declared `weight` (`verifyAuditChain`: a full scan
 *   of the audit trail, AUDIT_CHAIN_SCAN);
 * - plus DEPARTMENT_CALL for each department call it may make (`department`, `calls`), so that a query's cost
 *   bounds the calls it can make: at most maxCost / DEPARTMENT_CALL;
 * - how many times: once under a single parent; under a connection, `first` (default 20) times; under another
 *   list, its declared `maxLength` (its real maximum: the region tree's size, the connectors configured…), else
 *   LIST_LENGTH (a department's records of one kind about one person, whose number only the department knows).
 * Department calls, as declared:
 * - `department: 'each'`: every resolution is its own call: a list page, an aggregate, a root lookup, a health check;
 *   so `regions { population }` makes (and costs) one aggregate call per region;
 * - `department: 'batched'`: records by key through the request's loaders: the resolutions under one page share one
 *   batched call per department and entity, so the call is counted once per resolution of the nearest enclosing
 *   `each` field (once at the root), and only the records themselves are counted per item.
 * `calls` is how many calls one resolution (or batch) makes, 1 unless declared (it may depend on the arguments:
 * `persons` with elderly criteria reads 民政's roster, then 公安; `connectors(refresh: true)` checks every connector).
 *
 * The cost is linear in how often a selection resolves, so each selection set is measured once per type whatever
 * the fragments and aliases that repeat it.
 */
import type { FieldNullability, InputFieldMap, InputShapeFromFields, SchemaTypes, TypeParam } from '@pothos/core';
import {
  getArgumentValues,
  getNamedType,
  getVariableValues,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { DEFAULT_PAGE } from '../domain/paging';
import type { RegionTreeSize } from '../resolvers/region';

/** What one department call costs, in field units: a query at the default limit (20,000) makes at most 400. */
export const DEPARTMENT_CALL = 50;
/** The length assumed for a list that declares no `maxLength` (one person's records of one kind). */
export const LIST_LENGTH = 10;
/** What verifying the audit chain costs: it reads every event of the trail. */
export const AUDIT_CHAIN_SCAN = 2000;

/** The real maximum lengths of the hub's own lists, known at measurement time (server/limits.ts). */
export interface CostBounds {
  regions: RegionTreeSize;
  /** Consumers registered (the `consumers` list). */
  consumers: number;
  /** Connectors configured in this hub (the `connectors` list; a refresh checks each). */
  connectors: number;
}

/** A number, or one computed from the field's arguments and the hub's list bounds. */
export type CostBound<Args> = number | ((args: Args, bounds: CostBounds) => number);

export interface FieldCost<Args = Record<string, unknown>> {
  /** Whether resolving the field calls a department, and how (see above). */
  department?: 'each' | 'batched';
  /** Department calls per resolution (or batch) when `department` is set (default 1). */
  calls?: CostBound<Args>;
  /** What one resolution costs besides its department calls (default 1). */
  weight?: number;
  /** For a list: the most items it can hold (default LIST_LENGTH). */
  maxLength?: CostBound<Args>;
}

/* eslint-disable @typescript-eslint/no-unused-vars -- declaration merging repeats Pothos' type parameters */
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Pothos' field options live in this global namespace
  export namespace PothosSchemaTypes {
    export interface FieldOptions<
      Types extends SchemaTypes,
      ParentShape,
      Type extends TypeParam<Types>,
      Nullable extends FieldNullability<Type>,
      Args extends InputFieldMap,
      ResolveShape,
      ResolveReturnShape,
    > {
      /** What resolving the field costs in the query-cost limit (schema/field-cost.ts). */
      cost?: FieldCost<InputShapeFromFields<Args>>;
    }
  }
}
/* eslint-enable @typescript-eslint/no-unused-vars */

/** The `cost` a field declares (kept by Pothos in the field's extensions). */
export function costOf(field: GraphQLField<unknown, unknown>): FieldCost | undefined {
  return (field.extensions?.pothosOptions as { cost?: FieldCost } | undefined)?.cost;
}

export interface QueryCost {
  cost: number;
  depth: number;
  /** The department calls the query may make at most (as declared). */
  departmentCalls: number;
}

/** Cost and calls of a selection set: per resolution of its parent, and per batch (see `department: 'batched'`). */
interface Measured {
  perResolution: { cost: number; calls: number };
  perBatch: { cost: number; calls: number };
  depth: number;
}

const listOf = (type: GraphQLOutputType): boolean => isListType(isNonNullType(type) ? type.ofType : type);
const bound = <Args>(value: CostBound<Args> | undefined, args: Args, bounds: CostBounds, fallback: number) =>
  value === undefined ? fallback : typeof value === 'number' ? value : value(args, bounds);

/** Whether `name` is the `edges` of a connection type: free, and no list factor (the connection's `first` counts its items). */
const isEdges = (parent: GraphQLObjectType, name: string) => name === 'edges' && 'pageInfo' in parent.getFields();

class CostWalk {
  private readonly measured = new Map<SelectionSetNode, Map<string, Measured>>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: Record<string, FragmentDefinitionNode>,
    private readonly variables: Record<string, unknown>,
    private readonly bounds: CostBounds,
  ) {}

  selectionSet(set: SelectionSetNode, type: GraphQLObjectType): Measured {
    const known = this.measured.get(set)?.get(type.name);
    if (known) return known;
    const total: Measured = { perResolution: { cost: 0, calls: 0 }, perBatch: { cost: 0, calls: 0 }, depth: 0 };
    const add = (part: Measured) => {
      total.perResolution.cost += part.perResolution.cost;
      total.perResolution.calls += part.perResolution.calls;
      total.perBatch.cost += part.perBatch.cost;
      total.perBatch.calls += part.perBatch.calls;
      total.depth = Math.max(total.depth, part.depth);
    };
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        add(this.field(selection, type));
      } else {
        const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? this.fragments[selection.name.value] : selection;
        if (!fragment) throw new Error(`unknown fragment ${selection.kind === Kind.FRAGMENT_SPREAD ? selection.name.value : ''}`);
        const condition = fragment.typeCondition ? this.schema.getType(fragment.typeCondition.name.value) : type;
        add(this.selectionSet(fragment.selectionSet, isObjectType(condition) ? condition : type));
      }
    }
    if (!this.measured.has(set)) this.measured.set(set, new Map());
    this.measured.get(set)!.set(type.name, total);
    return total;
  }

  private field(node: FieldNode, parent: GraphQLObjectType): Measured {
    const name = node.name.value;
    if (name.startsWith('__')) return { perResolution: { cost: 1, calls: 0 }, perBatch: { cost: 0, calls: 0 }, depth: 1 };
    const field = parent.getFields()[name];
    if (!field) throw new Error(`unknown field ${parent.name}.${name}`);
    const args = getArgumentValues(field, node, this.variables);
    const declared = costOf(field) ?? {};
    const weight = declared.weight ?? (isEdges(parent, name) ? 0 : 1);
    let multiplier = 1;
    if (field.args.some((arg) => arg.name === 'first')) {
      multiplier = Math.max(typeof args.first === 'number' ? args.first : DEFAULT_PAGE, 1);
    } else if (listOf(field.type) && !isEdges(parent, name)) {
      multiplier = Math.max(bound(declared.maxLength, args, this.bounds, LIST_LENGTH), 0);
    }
    const calls = declared.department ? bound(declared.calls, args, this.bounds, 1) : 0;
    const childType = getNamedType(field.type);
    const sub: Measured =
      node.selectionSet && isObjectType(childType)
        ? this.selectionSet(node.selectionSet, childType)
        : { perResolution: { cost: 0, calls: 0 }, perBatch: { cost: 0, calls: 0 }, depth: 0 };
    const below = { cost: multiplier * sub.perResolution.cost, calls: multiplier * sub.perResolution.calls };
    const depth = 1 + sub.depth;
    if (declared.department === 'each') {
      // Its children's batches are per resolution of this field.
      return {
        perResolution: {
          cost: weight + DEPARTMENT_CALL * calls + below.cost + sub.perBatch.cost,
          calls: calls + below.calls + sub.perBatch.calls,
        },
        perBatch: { cost: 0, calls: 0 },
        depth,
      };
    }
    const batchCalls = declared.department === 'batched' ? calls : 0;
    return {
      perResolution: { cost: weight + below.cost, calls: below.calls },
      perBatch: { cost: DEPARTMENT_CALL * batchCalls + sub.perBatch.cost, calls: batchCalls + sub.perBatch.calls },
      depth,
    };
  }
}

/**
 * The cost, depth and most department calls of one operation of `document` (its fragments included), given the
 * request's variables. Throws a GraphQLError for variables or arguments that do not coerce (the engine refuses
 * those anyway).
 */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  bounds: CostBounds,
): QueryCost {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  const root = schema.getRootType(operation.operation);
  if (!root) throw new Error(`no ${operation.operation} type`);
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  if (coerced.errors) throw coerced.errors[0]!;
  const measured = new CostWalk(schema, fragments, coerced.coerced, bounds).selectionSet(operation.selectionSet, root);
  // At the root, a field resolves once and is its own batch.
  return {
    cost: measured.perResolution.cost + measured.perBatch.cost,
    depth: measured.depth,
    departmentCalls: measured.perResolution.calls + measured.perBatch.calls,
  };
}
