/**
 * Enforces the sharing catalogue on the built schema: every field resolver is wrapped once, at start, so that
 * no resolver can forget a check.
 *
 * Contract, per resolved field (see policy.ts for the decision):
 * - open (not in the catalogue): resolved as written;
 * - allow: resolved, and noted for the audit event (item read, subject read);
 * - mask: resolved, and the value masked before it leaves;
 * - forbid: not resolved at all (no department is called for it); null with a FORBIDDEN error at its path.
 * Fields the catalogue may refuse are nullable in the published schema, so a refusal nulls only that field.
 * When the request asked for lineage, every field's result is also shown to the lineage collector.
 */
import {
  defaultFieldResolver,
  getNullableType,
  GraphQLObjectType,
  isNonNullType,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql';
import type { HubContext } from '../resolvers/context';
import { CATALOGUE_ITEMS, expandFields } from './catalogue-items';
import { mask } from '../domain/masking';

const isPromise = (value: unknown): value is Promise<unknown> =>
  value !== null && typeof value === 'object' && typeof (value as Promise<unknown>).then === 'function';

function guard(coordinate: string, resolve: GraphQLFieldResolver<unknown, HubContext>): GraphQLFieldResolver<unknown, HubContext> {
  return (source, args, ctx, info) => {
    const decision = ctx.access.decide(coordinate);
    if (decision.kind === 'forbid') {
      ctx.access.noteResolved(decision, source);
      throw ctx.access.refusal(coordinate, decision.item, decision.reason);
    }
    if (decision.kind !== 'open') ctx.access.noteResolved(decision, source);
    const result = resolve(source, args, ctx, info);
    ctx.lineage?.observe(info.path, source, result);
    if (decision.kind !== 'mask') return result;
    return isPromise(result) ? result.then((value) => mask(decision.mask, value)) : mask(decision.mask, result);
  };
}

/** Wraps every resolver of `schema` with the catalogue guard and relaxes refusable fields to nullable. */
export function governByCatalogue(schema: GraphQLSchema): GraphQLSchema {
  const masked = new Set<string>();
  const governed = new Set<string>();
  for (const definition of CATALOGUE_ITEMS) {
    for (const field of expandFields(definition, schema)) {
      governed.add(field.coordinate);
      if (field.mask) masked.add(field.coordinate);
    }
  }
  for (const type of Object.values(schema.getTypeMap())) {
    if (!(type instanceof GraphQLObjectType) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields()) as Array<GraphQLField<unknown, HubContext>>) {
      const coordinate = `${type.name}.${field.name}`;
      if (governed.has(coordinate) && !masked.has(coordinate) && isNonNullType(field.type)) {
        field.type = getNullableType(field.type);
      }
      field.resolve = guard(coordinate, field.resolve ?? defaultFieldResolver);
    }
  }
  return schema;
}
