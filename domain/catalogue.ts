/**
 * The sharing catalogue 共享目录 as every layer sees it: items with their sharing class, the schema fields that
 * belong to each, the masks of personal identifiers, and the purposes a request may declare. The hub database
 * holds the catalogue it enforces (server/access/catalogue.ts reads it into this shape).
 */

/** 无条件共享 / 有条件共享 / 不予共享. */
export type SharingClass = 'UNCONDITIONAL' | 'CONDITIONAL' | 'NOT_SHARED';

/** How a personal identifier is shown to a consumer that may not read it (domain/masking.ts). */
export type MaskKind = 'CITIZEN_ID' | 'NAME' | 'PHONE' | 'ADDRESS';

export interface CatalogueItem {
  code: string;
  name: string;
  nameEn: string;
  ownerDepartment: string;
  class: SharingClass;
  personal: boolean;
}

export interface CatalogueField {
  /** `Type.field` in the published schema. */
  coordinate: string;
  itemCode: string;
  mask: MaskKind | null;
}

export interface Catalogue {
  items: Map<string, CatalogueItem>;
  fields: Map<string, CatalogueField>;
  purposes: Set<string>;
}

/** Where a request reads the current catalogue from (a snapshot at most a few seconds old). */
export interface CatalogueSource {
  current(): Promise<Catalogue>;
  /** Makes the next `current()` re-read (after an administrator's change). */
  invalidate(): void;
}
