/**
 * Lineage in responses (DESIGN §4): when a request asks for it (header `X-Include-Lineage: 1`, or
 * `extensions.includeLineage: true` in the request body), `extensions.lineage` maps each response path that
 * holds a department record to where that record came from: department, connector, source record id, source
 * update time, fetch time, and whether it was fetched for this request (MISS) or served from cache (HIT).
 *
 * Contract: the catalogue guard shows the collector every field result; a path is recorded when its value is a
 * record with provenance other than its parent (so fields that regroup the parent's record, like
 * `person.household`, stay under the parent's entry). Only paths present (non-null) in the final response are
 * reported. A source record id that is a citizen ID is masked unless the consumer may read citizen IDs.
 */
import { responsePathAsArray, type GraphQLResolveInfo } from 'graphql';
import { provenanceOf, type Provenance } from '../connectors/provenance';
import type { RequestAccess } from '../domain/request-access';

export type LineageEntry = Omit<Provenance, 'sourceRecordIsCitizenId'>;

/** ISO 8601 in UTC, as the DateTime scalar shows times (departments may send any offset). */
function utc(time: string | null): string | null {
  if (time === null) return null;
  const parsed = new Date(time);
  return Number.isNaN(parsed.getTime()) ? time : parsed.toISOString();
}

/** A record's provenance as this consumer may see it (times in UTC). */
export function provenanceView(provenance: Provenance, access: RequestAccess): LineageEntry {
  const { sourceRecordIsCitizenId, ...rest } = provenance;
  const entry = { ...rest, sourceUpdatedAt: utc(rest.sourceUpdatedAt) };
  if (sourceRecordIsCitizenId && !access.canRead('Person.citizenId')) {
    return { ...entry, sourceRecordId: access.mask('CITIZEN_ID', entry.sourceRecordId) as string };
  }
  return entry;
}

export class LineageCollector {
  private readonly entries = new Map<string, { keys: Array<string | number>; entry: LineageEntry }>();

  constructor(private readonly access: RequestAccess) {}

  observe(path: GraphQLResolveInfo['path'], source: unknown, result: unknown): void {
    if (result instanceof Promise) {
      result.then(
        (value) => this.record(path, source, value),
        () => undefined,
      );
    } else {
      this.record(path, source, result);
    }
  }

  private record(path: GraphQLResolveInfo['path'], source: unknown, value: unknown): void {
    const keys = responsePathAsArray(path);
    if (Array.isArray(value)) value.forEach((item, index) => this.recordOne([...keys, index], source, item));
    else this.recordOne(keys, source, value);
  }

  private recordOne(keys: Array<string | number>, source: unknown, value: unknown): void {
    const provenance = provenanceOf(value);
    if (!provenance || value === source) return;
    this.entries.set(keys.join('.'), { keys, entry: provenanceView(provenance, this.access) });
  }

  /** The lineage of the paths that hold a value in `data`, keyed by dotted path. */
  report(data: unknown): Record<string, LineageEntry> {
    const report: Record<string, LineageEntry> = {};
    for (const [path, { keys, entry }] of this.entries) {
      let value: unknown = data;
      for (const key of keys)
        value = value === null || value === undefined ? value : (value as Record<string | number, unknown>)[key];
      if (value !== null && value !== undefined) report[path] = entry;
    }
    return report;
  }
}
