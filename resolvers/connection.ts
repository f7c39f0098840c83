/**
 * Relay connections over department lists.
 *
 * Departments page forward with an opaque cursor per page (`endCursor`). A hub cursor must exist for every edge,
 * so it records the list it belongs to (connector and entity), the department cursor the edge's page started from
 * and the edge's position in that page: JSON [list, departmentAfter, offset], sealed (cursor-seal.ts: department
 * cursors can hold citizen IDs). A cursor of another list (an institution cursor given to `persons`) is
 * INVALID_CURSOR, never a department cursor sent where it does not belong. Continuing after an edge asks the
 * department for the page again from `departmentAfter` and skips `offset` records; the last edge of a page points
 * straight at the next page.
 * `first` is capped at MAX_PAGE with a clear error; backward paging is refused.
 * Cursors are sealed lazily, when a query selects `cursor`, `startCursor` or `endCursor` (sealing is AES-GCM and
 * an HMAC per edge: 9 % of a list query's CPU when no one asked for them, issue 13).
 */
import { z } from 'zod';
import type { ConnectorName } from '../connectors/department-interface';
import type { SourceRecord } from '../connectors/contract';
import type { ListableEntityName, ListFilter, RecordOf } from '../connectors/departments';
import type { HubContext } from './context';
import { BadUserInputError } from '../domain/errors';
import { MAX_PAGE, pageSize, type PageArgs } from '../domain/paging';
import { seal, unseal } from './cursor-seal';
import { fromDepartment } from './department';

const cursorSchema = z.tuple([z.string(), z.string().nullable(), z.number().int().min(0).max(MAX_PAGE)]);

const encode = (secret: string, list: string, departmentAfter: string | null, offset: number) =>
  seal(secret, JSON.stringify([list, departmentAfter, offset]));

function decode(secret: string, list: string, cursor: string): [string | null, number] {
  const parsed = cursorSchema.safeParse(parseJson(unseal(secret, cursor)));
  if (!parsed.success || parsed.data[0] !== list) {
    throw new BadUserInputError('after is not a cursor of this list 游标无效', { field: 'after', reason: 'INVALID_CURSOR' });
  }
  return [parsed.data[1], parsed.data[2]];
}

function parseJson(text: string | null): unknown {
  try {
    return text === null ? null : JSON.parse(text);
  } catch {
    return null;
  }
}

export interface Connection<T> {
  edges: Array<{ cursor: string; node: T }>;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  /** Read only when the query selects it: a list that did not select it was not counted, and throws here. */
  totalCount: number;
}

/**
 * What a query selects of a list (schema/projection.ts reads it from the query): the record fields its nodes
 * read (undefined: every field) and whether it selects `totalCount`. The department reads those columns only
 * and counts only when asked.
 */
export interface ListSelection {
  fields: readonly string[] | undefined;
  totalCount: boolean;
}

/** Every field and the count: what a list without a known selection asks for. */
export const WHOLE_LIST: ListSelection = { fields: undefined, totalCount: true };

/**
 * A forward-only page of a Relay connection: page info follows from the edges (read only when selected);
 * `totalCount` is null when the list was not counted because the query does not select it.
 */
export function forwardConnection<T>(
  edges: Connection<T>['edges'],
  hasNextPage: boolean,
  totalCount: number | null,
): Connection<T> {
  return {
    edges,
    pageInfo: {
      hasNextPage,
      hasPreviousPage: false,
      get startCursor() {
        return edges[0]?.cursor ?? null;
      },
      get endCursor() {
        return edges.at(-1)?.cursor ?? null;
      },
    },
    get totalCount() {
      if (totalCount === null) throw new Error('totalCount is read, but the list was not counted: its selection was wrong');
      return totalCount;
    },
  };
}

/** An edge whose cursor is computed on first read (the schema reads `cursor` only when a query selects it). */
function lazyEdge<T>(node: T, cursorOf: () => string): Connection<T>['edges'][number] {
  let cursor: string | undefined;
  return {
    node,
    get cursor() {
      return (cursor ??= cursorOf());
    },
  };
}

const EMPTY = forwardConnection<never>([], false, 0);

/**
 * One page of a department entity as a Relay connection of `map(record)`, with the filter and the records typed
 * by the entity's published interface. The list is narrowed to the consumer's region scope through the
 * entity's `regionCode` filter (every listable entity has one); a requested region outside the scope gives an
 * empty list. A page is one department call (nothing to batch), made here through `ctx.connectors`, asking for
 * the `selection`'s fields and count only.
 */
export async function departmentConnection<C extends ConnectorName, E extends ListableEntityName<C>, T>(
  ctx: HubContext,
  connector: C,
  entity: E,
  filter: ListFilter<C, E> & { regionCode?: string },
  args: PageArgs,
  map: (record: SourceRecord<RecordOf<C, E>>) => T | Promise<T>,
  selection: ListSelection = WHOLE_LIST,
): Promise<Connection<T>> {
  const first = pageSize(args);
  const secret = ctx.secrets.cursorSecret;
  const list = `${connector}/${entity}`;
  const [departmentAfter, skip] = args.after ? decode(secret, list, args.after) : [null, 0];
  const region = ctx.access.listRegion(filter.regionCode);
  if (region === null) return EMPTY;
  const scoped = region === undefined ? filter : { ...filter, regionCode: region };
  const page = await fromDepartment(() =>
    ctx.connectors.get(connector).list(
      entity,
      {
        filter: scoped,
        first: first + skip,
        after: departmentAfter,
        ...(selection.fields ? { fields: selection.fields } : {}),
        count: selection.totalCount,
      },
      ctx.loaders.calls,
    ),
  );
  const records = page.records.slice(skip);
  // Nodes may be loaded from another department (through the request's loaders: one batched call per page).
  const nodes = await Promise.all(records.map(map));
  const last = records.length - 1;
  const edges = nodes.map((node, index) =>
    lazyEdge(node, () =>
      index === last && page.endCursor
        ? encode(secret, list, page.endCursor, 0)
        : encode(secret, list, departmentAfter, skip + index + 1),
    ),
  );
  return forwardConnection(edges, page.hasNextPage, page.totalCount);
}
