/**
 * Provenance of department data (lineage, DESIGN §4): every record a connector returns carries, on its `data`
 * object, where it came from. It is attached as a non-enumerable symbol property, so it travels with the record
 * through resolvers without being part of its fields, and object spreads drop it (a derived object has no
 * provenance of its own).
 */
import type { ConnectorName } from './department-interface';

export interface Provenance {
  /** Department's Chinese short name, e.g. 公安. */
  department: string;
  connector: ConnectorName;
  /** The record's id at its source. */
  sourceRecordId: string;
  /** Whether `sourceRecordId` is a citizen ID (masked like one for consumers without the identity item). */
  sourceRecordIsCitizenId: boolean;
  sourceUpdatedAt: string | null;
  fetchedAt: string;
  /** MISS: fetched from the department for this request; HIT: served from the hub's cache of an earlier fetch. */
  cache: 'HIT' | 'MISS';
}

const PROVENANCE = Symbol('provenance');

export function attachProvenance<T extends object>(data: T, provenance: Provenance): T {
  Object.defineProperty(data, PROVENANCE, { value: provenance, enumerable: false, configurable: true });
  return data;
}

export function provenanceOf(value: unknown): Provenance | null {
  return value !== null && typeof value === 'object' ? ((value as Record<symbol, Provenance>)[PROVENANCE] ?? null) : null;
}

/** A copy of a record marked as served from cache (the original keeps MISS for the path that fetched it). */
export function asCacheHit<T>(data: T): T {
  const provenance = provenanceOf(data);
  if (!provenance || typeof data !== 'object' || data === null) return data;
  return attachProvenance({ ...data }, { ...provenance, cache: 'HIT' });
}
