/**
 * A SHA-256 checksum of a data set over a canonical serialisation, so that the same data gives the same
 * checksum however it was produced (generated, or read back from CSV or JSON files) and in whatever row order.
 *
 * Canonical serialisation: for each table in catalogue order, a line `schema.table<TAB>col1<TAB>col2…`, then
 * its rows sorted by primary key, each as its columns' COPY text fields (seeds/encoding.ts) joined by tabs,
 * one row per line. Timestamps are normalised to UTC, so an offset change alone does not change the checksum.
 */
import { createHash } from 'node:crypto';
import { canonicalText, copyField } from './encoding';
import { rowsOf, TABLE_ORDER, tableSpec, type AnyRow, type Dataset } from './tables';

export function datasetChecksum(dataset: Dataset): string {
  const hash = createHash('sha256');
  for (const key of TABLE_ORDER) {
    const spec = tableSpec(key);
    const columns = spec.columnNames;
    const types = columns.map((c) => spec.columns[c]!.type);
    hash.update(`${spec.qualifiedName}\t${columns.join('\t')}\n`);
    const pkTypes = spec.primaryKey.map((c) => spec.columns[c]!.type);
    const keyed = rowsOf(dataset, key).map((row): [string, AnyRow] => [
      spec.primaryKey.map((c, i) => canonicalText(row[c] ?? null, pkTypes[i]!) ?? '').join('\t'),
      row,
    ]);
    keyed.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    let buffer = '';
    for (const [, row] of keyed) {
      buffer += `${columns.map((c, i) => copyField(row[c] ?? null, types[i]!)).join('\t')}\n`;
      if (buffer.length > 1 << 16) {
        hash.update(buffer);
        buffer = '';
      }
    }
    hash.update(buffer);
  }
  return hash.digest('hex');
}
