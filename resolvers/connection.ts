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

/** Where a page's edges continue from: what an edge's cursor seals besides its position. */
interface PageCursors {
  secret: string;
  list: string;
  /** The department cursor the page started from. */
  departmentAfter: string | null;
  /** Records of that department page skipped before the first edge. */
  skip: number;
  /** The department's cursor after the page's last record, and that record's index. */
  endCursor: string | null;
  last: number;
}

/**
 * An edge whose cursor is sealed on first read (the schema reads `cursor` only when a query selects it): one
 * object per edge, its getter on the prototype, without a closure per edge.
 */
class LazyEdge<T> {
  private sealed: string | undefined;

  constructor(
    readonly node: T,
    private readonly page: PageCursors,
    private readonly index: number,
  ) {}

  get cursor(): string {
    if (this.sealed === undefined) {
      const { secret, list, departmentAfter, skip, endCursor, last } = this.page;
      this.sealed =
        this.index === last && endCursor
          ? encode(secret, list, endCursor, 0)
          : encode(secret, list, departmentAfter, skip + this.index + 1);
    }
    return this.sealed;
  }
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
  // Nodes may be loaded from another department (through the request's loaders: one batched call per page); a
  // page of records mapped to themselves is not awaited node by node.
  const mapped = records.map(map);
  const nodes = mapped.some((node) => node instanceof Promise) ? await Promise.all(mapped) : (mapped as T[]);
  const cursors: PageCursors = { secret, list, departmentAfter, skip, endCursor: page.endCursor, last: records.length - 1 };
  const edges = nodes.map((node, index) => new LazyEdge(node, cursors, index));
  return forwardConnection(edges, page.hasNextPage, page.totalCount);
}
