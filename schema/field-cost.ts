/**
 * What a field costs in the query-cost limit (server/limits.ts checks the total once per request, before any
 * resolver runs): every field costs 1; a connection multiplies its selection by `first` (default page size) and
 * its `edges` list adds no further factor; any other list multiplies its selection by 10.
 */
import { isListType, isNonNullType, type GraphQLField, type GraphQLOutputType } from 'graphql';
import { DEFAULT_PAGE } from '../domain/paging';

const LIST_FACTOR = 10;

const listOf = (type: GraphQLOutputType): boolean => isListType(isNonNullType(type) ? type.ofType : type);

export function fieldCost<Context>(args: Record<string, unknown>, _ctx: Context, field: GraphQLField<unknown, Context>) {
  if (field.args.some((arg) => arg.name === 'first')) {
    const first = typeof args.first === 'number' ? args.first : DEFAULT_PAGE;
    return { field: 1, multiplier: Math.max(first, 1) };
  }
  if (field.name === 'edges') return { field: 0, multiplier: 1 };
  return { field: 1, multiplier: listOf(field.type) ? LIST_FACTOR : 1 };
}
