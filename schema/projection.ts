/**
 * Projection push-down: which fields of a department record a list query reads, and whether it selects
 * `totalCount`, so the department is asked for those columns only and counts only when asked (issue 13).
 *
 * Contract: a GraphQL field of a record's type says what it reads of the record by being exposed
 * (`t.expose*('name')`: Pothos marks the field) or by the extension `readsRecord(...)` (the record fields its
 * resolver reads, or an exposed property of a derived object is made from; none for one that reads only what every
 * record carries: key, record id, `updatedAt`, provenance), which wins over exposure, or `readsRecord(SAME_RECORD)`
 * (it resolves to its parent record, or to an object made from it, whose sub-selection is read the same way). A selected field that says neither makes the projection unknown, and the list reads every field:
 * a new field can lose the speed-up, never its data. Fragments, aliases and @skip/@include are resolved as
 * graphql-js executes them.
 */
import { getNamedType, isObjectType, type FieldNode, type GraphQLObjectType, type GraphQLResolveInfo } from 'graphql';
import { collectSubfields } from 'graphql/execution/collectFields';
import type { ListSelection } from '../resolvers/connection';

/** Marks a field that resolves to its parent record (a group of its fields, such as `beds`). */
export const SAME_RECORD = Symbol('same record');

/** Field extensions naming what a resolver reads of its parent record. */
export const readsRecord = (...fields: string[] | [typeof SAME_RECORD]) => ({ readsRecord: fields });

type Subfields = ReadonlyMap<string, ReadonlyArray<FieldNode>>;

function subfields(info: GraphQLResolveInfo, type: GraphQLObjectType, nodes: ReadonlyArray<FieldNode>): Subfields {
  return collectSubfields(info.schema, info.fragments, info.variableValues, type, nodes);
}

/** Adds the record fields `nodes`' selection of `type` reads to `into`; false when some field does not say. */
function collectRecordFields(
  info: GraphQLResolveInfo,
  type: GraphQLObjectType,
  nodes: ReadonlyArray<FieldNode>,
  into: Set<string>,
): boolean {
  for (const [, fieldNodes] of subfields(info, type, nodes)) {
    const name = fieldNodes[0]!.name.value;
    if (name === '__typename') continue;
    const field = type.getFields()[name];
    if (!field) return false;
    const exposed = field.extensions.pothosExposedField;
    const reads = field.extensions.readsRecord as ReturnType<typeof readsRecord>['readsRecord'] | undefined;
    // What a field declares it reads comes first: an exposed property of a derived object (`beds { total }`) is
    // not a record field, and declares the record field it is made from.
    if (reads?.[0] === SAME_RECORD) {
      const inner = getNamedType(field.type);
      if (!isObjectType(inner) || !collectRecordFields(info, inner, fieldNodes, into)) return false;
    } else if (reads) for (const read of reads as string[]) into.add(read);
    else if (typeof exposed === 'string') into.add(exposed);
    else return false;
  }
  return true;
}

/** What the query selects of the connection field being resolved (`info` of its resolver). */
export function listSelection(info: GraphQLResolveInfo): ListSelection {
  const connection = getNamedType(info.returnType);
  if (!isObjectType(connection)) return { fields: undefined, totalCount: true };
  let totalCount = false;
  const fields = new Set<string>();
  let known = true;
  for (const [, nodes] of subfields(info, connection, info.fieldNodes)) {
    const name = nodes[0]!.name.value;
    if (name === 'totalCount') totalCount = true;
    if (name === 'totalCount' || name === 'pageInfo' || name === '__typename') continue;
    // Any other field of a connection than its edges (none today) may read the records: every field.
    if (name !== 'edges') return { fields: undefined, totalCount: true };
    const edge = getNamedType(connection.getFields().edges!.type);
    if (!isObjectType(edge)) return { fields: undefined, totalCount: true };
    for (const [, edgeNodes] of subfields(info, edge, nodes)) {
      if (edgeNodes[0]!.name.value !== 'node') continue;
      const node = getNamedType(edge.getFields().node!.type);
      known &&= isObjectType(node) && collectRecordFields(info, node, edgeNodes, fields);
    }
  }
  return { fields: known ? [...fields] : undefined, totalCount };
}
