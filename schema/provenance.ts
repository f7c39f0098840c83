import { provenanceOf } from '../connectors/provenance';
import { provenanceView, type LineageEntry } from '../resolvers/lineage';
import { builder } from './builder';
import { readsRecord } from './projection';

const CacheStatusEnum = builder.enumType('CacheStatus', {
  description: '缓存 Whether a record was fetched for this request or served from cache',
  values: {
    MISS: { description: '实时获取 Fetched from the department for this request' },
    HIT: { description: '缓存 Served from the hub cache of an earlier fetch in this request' },
  },
});

export const ProvenanceRef = builder.objectRef<LineageEntry>('Provenance').implement({
  description: '数据来源 Where a record came from: department, connector, source record, update and fetch times',
  fields: (t) => ({
    department: t.exposeString('department', { description: '来源部门 Source department, e.g. 公安' }),
    connector: t.exposeString('connector', { description: '连接器 Connector name, e.g. public-security' }),
    sourceRecordId: t.exposeString('sourceRecordId', {
      description: '源记录编号 Record id at the source (a citizen ID is masked unless the caller may read it)',
    }),
    sourceUpdatedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: '源更新时间 When the department last changed the record (null if it does not say)',
      resolve: (entry) => entry.sourceUpdatedAt,
    }),
    fetchedAt: t.field({
      type: 'DateTime',
      description: '获取时间 When the hub received the record',
      resolve: (entry) => entry.fetchedAt,
    }),
    cache: t.field({
      type: CacheStatusEnum,
      description: '缓存 Fetched now (MISS) or from cache (HIT)',
      resolve: (entry) => entry.cache,
    }),
  }),
});

/**
 * Options of the `provenance` field of a type over department records: `provenance: t.field(provenance)`.
 * Null for an object the hub derived rather than read. Not catalogued, even on a type whose fields are: it is the
 * hub's lineage of the record (a citizen-ID source record id is masked by `provenanceView`).
 */
export const provenance = {
  type: ProvenanceRef,
  nullable: true,
  catalogue: false,
  // Provenance is attached to every record by its connector: it reads no record field.
  extensions: readsRecord(),
  description: '数据来源 Where this record came from (department, connector, source record, times)',
  resolve: (record: object, _args: unknown, ctx: { access: Parameters<typeof provenanceView>[1] }) => {
    const found = provenanceOf(record);
    return found ? provenanceView(found, ctx.access) : null;
  },
} as const;
