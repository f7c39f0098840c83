/**
 * Plain leaves, guarded by their parent (issue 13): a field that only reads a property of its parent record
 * (`t.exposeString('name')`: no resolver of its own, no other plugin's wrapper, no audit declaration, a scalar or
 * enum type) has its resolver removed from the built schema, so that the executor reads the property directly
 * instead of calling a resolver per row (graphql-jit builds a path, a resolve info and three closures for every
 * call: on a page of 100 records × 16 fields that was a fifth of the hub's CPU per request).
 *
 * Contract: the catalogue guard is not skipped, it moves up one level. Every field that returns an object type
 * with such leaves (a node, a lookup, a list) is itself guarded (schema/plugins/catalogue.ts), and its guard applies
 * to each object it returns, for each of those leaves the query selects (fragments, aliases, @skip/@include
 * resolved as the executor does), exactly what the leaf's own guard did: the decision for the leaf's coordinate,
 * noted for the audit event (items read, subjects of a personal item, the request audited for a personal item);
 * a refused leaf resolves to the refusal (the executor reports it at the leaf's path and nulls only the leaf), a
 * masked one to its masked value. Such an object is then answered as a copy whose prototype is the record (its
 * other fields, and its provenance, are read through). Leaves carry no provenance, so lineage is unchanged.
 * Types returned through an interface or union keep their leaves' resolvers (their parent's return type does not
 * say which object type it is).
 */
import {
  defaultFieldResolver,
  getNamedType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  type FieldNode,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import { collectSubfields } from 'graphql/execution/collectFields';
import type { Decision } from '../../domain/access-policy';
import type { RequestAccess } from '../../domain/request-access';

/** The guarded resolvers of fields that are plain leaves as the plugin saw them (their type is checked at removal). */
const plainLeafResolvers = new WeakSet<GraphQLFieldResolver<unknown, unknown, object>>();
/** The fields whose resolver was removed. */
const plainLeafFields = new WeakSet<GraphQLField<unknown, unknown>>();

/**
 * Called by the catalogue plugin for each field it wraps: `resolver` is what it received (after every inner
 * plugin), `guarded` what it returns. A field of an object type that no other plugin wrapped (graphql-js's default
 * resolver: an exposed property) and that declares no audit is a plain leaf if its type is a leaf type.
 */
export function notePlainLeaf(
  resolver: GraphQLFieldResolver<unknown, unknown, object>,
  guarded: GraphQLFieldResolver<unknown, unknown, object>,
  field: { kind: string; audit: unknown },
): void {
  if (resolver === defaultFieldResolver && field.kind === 'Object' && field.audit === undefined) plainLeafResolvers.add(guarded);
}

/**
 * Removes the resolvers of the schema's plain leaves (of leaf type, on object types that implement no interface
 * and belong to no union).
 */
export function removePlainLeafResolvers(schema: GraphQLSchema): void {
  const abstractMembers = new Set<string>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (isObjectType(type) && type.getInterfaces().length > 0) abstractMembers.add(type.name);
    if (isUnionType(type)) for (const member of type.getTypes()) abstractMembers.add(member.name);
  }
  const roots = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]);
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__') || abstractMembers.has(type.name) || roots.has(type)) continue;
    for (const field of Object.values(type.getFields())) {
      if (!field.resolve || !plainLeafResolvers.has(field.resolve) || !isLeafType(getNamedType(field.type))) continue;
      field.resolve = undefined;
      plainLeafFields.add(field);
    }
  }
}

/** A selected plain leaf of an object type: the property it reads and its coordinate. */
interface SelectedLeaf {
  name: string;
  coordinate: string;
}

/** The plain leaves (resolver removed) of each object type, by field name. */
const leavesOfType = new WeakMap<GraphQLObjectType, ReadonlyMap<string, string>>();

function plainLeaves(type: GraphQLObjectType): ReadonlyMap<string, string> {
  let leaves = leavesOfType.get(type);
  if (!leaves) {
    const found = new Map<string, string>();
    for (const field of Object.values(type.getFields())) {
      if (plainLeafFields.has(field)) found.set(field.name, `${type.name}.${field.name}`);
    }
    leaves = found;
    leavesOfType.set(type, leaves);
  }
  return leaves;
}

/**
 * The plain leaves a selection reads, per selection and variables (@skip/@include may depend on them): the rows of
 * one request share them, and concurrent requests of one document each keep their own.
 */
const selections = new WeakMap<readonly FieldNode[], WeakMap<object, SelectedLeaf[]>>();

function selectedLeaves(info: GraphQLResolveInfo, type: GraphQLObjectType): SelectedLeaf[] {
  let byVariables = selections.get(info.fieldNodes);
  if (!byVariables) {
    byVariables = new WeakMap();
    selections.set(info.fieldNodes, byVariables);
  }
  const variables = info.variableValues as object;
  const known = byVariables.get(variables);
  if (known) return known;
  const leaves: SelectedLeaf[] = [];
  const plain = plainLeaves(type);
  if (plain.size > 0) {
    const seen = new Set<string>();
    for (const [, nodes] of collectSubfields(info.schema, info.fragments, info.variableValues, type, info.fieldNodes)) {
      const name = nodes[0]!.name.value;
      const coordinate = plain.get(name);
      if (coordinate && !seen.has(name)) {
        seen.add(name);
        leaves.push({ name, coordinate });
      }
    }
  }
  byVariables.set(variables, leaves);
  return leaves;
}

/**
 * What every guarded field notes for its audit event once decided, a resolver-guarded one and a plain leaf alike:
 * the item (and subject) read, and the request audited for a personal item.
 */
export function noteDecision(access: RequestAccess, decision: Exclude<Decision, { kind: 'open' }>, source: unknown): void {
  access.noteResolved(decision, source);
  if (decision.item.personal) access.markAudited('personal');
}

/** Applies the leaves' guard to one object: the object itself, or a copy answering the refused or masked leaves. */
function guardObject(object: object, leaves: readonly SelectedLeaf[], access: RequestAccess): object {
  let copy: Record<string, unknown> | undefined;
  for (const { name, coordinate } of leaves) {
    const decision = access.decide(coordinate);
    if (decision.kind === 'open') continue;
    noteDecision(access, decision, object);
    if (decision.kind === 'allow') continue;
    copy ??= Object.create(object) as Record<string, unknown>;
    copy[name] =
      decision.kind === 'forbid'
        ? access.refusal(coordinate, decision.item, decision.reason)
        : access.mask(decision.mask, (object as Record<string, unknown>)[name]);
  }
  return copy ?? object;
}

/**
 * Leaves whose decisions change nothing per object: each open, or allowed for an item that is not personal. Their
 * guard on every object notes the same items and answers the object itself, so one request notes them once, at its
 * first object (again after its notes are cleared: a subscription's next result), instead of deciding each leaf
 * for each row of a page (a personal item notes each object's subject, a refusal or a mask answers a copy: those
 * are guarded object by object).
 */
interface UniformLeaves {
  decisions: Exclude<Decision, { kind: 'open' }>[];
  /** The round of the request's notes they were noted in (`RequestAccess.notesRound`), or null. */
  notedIn: number | null;
}

/** Per selection of leaves, per request: its uniform decisions, or null when its objects are guarded one by one. */
const uniformity = new WeakMap<readonly SelectedLeaf[], WeakMap<RequestAccess, UniformLeaves | null>>();

function uniformLeaves(leaves: readonly SelectedLeaf[], access: RequestAccess): UniformLeaves | null {
  let byRequest = uniformity.get(leaves);
  if (!byRequest) {
    byRequest = new WeakMap();
    uniformity.set(leaves, byRequest);
  }
  let uniform = byRequest.get(access);
  if (uniform === undefined) {
    const decisions: UniformLeaves['decisions'] = [];
    uniform = { decisions, notedIn: null };
    for (const { coordinate } of leaves) {
      const decision = access.decide(coordinate);
      if (decision.kind === 'open') continue;
      if (decision.kind !== 'allow' || decision.item.personal) {
        uniform = null;
        break;
      }
      decisions.push(decision);
    }
    byRequest.set(access, uniform);
  }
  return uniform;
}

export const isPromise = (value: unknown): value is Promise<unknown> =>
  value !== null && typeof value === 'object' && typeof (value as Promise<unknown>).then === 'function';

/** Walks `value` as `type` describes it (non-null, lists, promises in lists) to the objects it holds, each through `guard`. */
function guardValue(value: unknown, type: GraphQLOutputType, guard: (object: object) => object): unknown {
  if (value === null || value === undefined || value instanceof Error) return value;
  if (isPromise(value)) return value.then((resolved) => guardValue(resolved, type, guard));
  if (isNonNullType(type)) return guardValue(value, type.ofType, guard);
  if (isListType(type)) {
    if (typeof value !== 'object' || !(Symbol.iterator in value)) return value;
    const items = Array.isArray(value) ? (value as unknown[]) : Array.from(value as Iterable<unknown>);
    let changed = items !== value;
    const guarded = items.map((item) => {
      const out = guardValue(item, type.ofType, guard);
      if (out !== item) changed = true;
      return out;
    });
    return changed ? guarded : value;
  }
  return typeof value === 'object' ? guard(value) : value;
}

/**
 * The parent's part of its plain leaves' guard, applied to a field's result (a value or a promise of one): see
 * the module's contract. A field whose type holds no plain leaf the query selects returns its result as it is.
 */
export function guardPlainLeaves(result: unknown, info: GraphQLResolveInfo, access: RequestAccess): unknown {
  const named = getNamedType(info.returnType);
  if (!isObjectType(named)) return result;
  const leaves = selectedLeaves(info, named);
  if (leaves.length === 0) return result;
  const uniform = uniformLeaves(leaves, access);
  if (uniform === null) return guardValue(result, info.returnType, (object) => guardObject(object, leaves, access));
  if (uniform.notedIn === access.notesRound) return result;
  return guardValue(result, info.returnType, (object) => {
    if (uniform.notedIn !== access.notesRound) {
      uniform.notedIn = access.notesRound;
      for (const decision of uniform.decisions) noteDecision(access, decision, object);
    }
    return object;
  });
}
