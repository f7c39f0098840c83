/**
 * Validation of data-set rows against the table catalogue: each row with its table's zod schema (types,
 * NOT NULL, CHECK constraints, cross-column rules), then across rows: primary keys and UNIQUE columns not
 * repeated, and foreign keys pointing at existing rows.
 *
 * Contract: every problem found is returned (not just the first), each with the row's location (file and line,
 * or table and row number) and a reason naming the column but never quoting a value (rows hold personal data).
 */
import type { z } from 'zod';
import { canonicalText } from './encoding';
import { TABLE_ORDER, tableSpec, type AnyRow, type TableKey } from './tables';

export interface LocatedProblem {
  /** File path, or `schema.table` for in-memory rows. */
  file: string;
  /** 1-based line in the file (or row number), 0 for problems about the whole file. */
  line: number;
  message: string;
}

export interface LocatedRow {
  line: number;
  row: AnyRow;
}

/** zod issues as reasons: `column: message`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') return `unexpected column(s) ${issue.keys.join(', ')}`;
    const column = issue.path.length > 0 ? String(issue.path[0]) : 'row';
    if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) return `${column}: missing`;
    return `${column}: ${issue.message}`;
  });
}

/** Validates rows of one table with its zod schema; returns the valid rows (parsed) and the problems. */
export function validateRows(
  key: TableKey,
  file: string,
  rows: readonly LocatedRow[],
): { valid: LocatedRow[]; problems: LocatedProblem[] } {
  const spec = tableSpec(key);
  const valid: LocatedRow[] = [];
  const problems: LocatedProblem[] = [];
  for (const { line, row } of rows) {
    const result = spec.row.safeParse(row);
    if (result.success) valid.push({ line, row: result.data as AnyRow });
    else for (const message of describeIssues(result.error.issues)) problems.push({ file, line, message });
  }
  return { valid, problems };
}

function keyText(row: AnyRow, columns: readonly string[], types: (c: string) => Parameters<typeof canonicalText>[1]): string {
  return columns.map((c) => canonicalText(row[c] ?? null, types(c)) ?? '\\N').join('\t');
}

/**
 * Primary keys, UNIQUE constraints and foreign keys across the (already row-valid) tables. A foreign key is
 * satisfied by any row of the target that names the key, valid or not (`allRows`), so that one bad row is
 * reported once, not again at every row referring to it.
 */
export function crossCheck(
  tables: Partial<Record<TableKey, { file: string; rows: readonly LocatedRow[]; allRows?: readonly LocatedRow[] }>>,
): LocatedProblem[] {
  const problems: LocatedProblem[] = [];
  const primaryKeys = new Map<TableKey, Set<string>>();
  for (const key of TABLE_ORDER) {
    const table = tables[key];
    const spec = tableSpec(key);
    const typeOf = (c: string) => spec.columns[c]!.type;
    const constraints = [
      { columns: spec.primaryKey, label: 'primary key' },
      ...spec.unique.map((u) => ({ columns: u, label: 'unique' })),
    ];
    const pkSet = new Set<string>();
    for (const { columns, label } of constraints) {
      const seen = new Map<string, number>();
      for (const { line, row } of table?.rows ?? []) {
        // NULLs never collide in a UNIQUE constraint.
        if (columns.some((c) => row[c] === null)) continue;
        const k = keyText(row, columns, typeOf);
        const first = seen.get(k);
        if (first !== undefined) {
          problems.push({
            file: table!.file,
            line,
            message: `${label} (${columns.join(', ')}) repeats the row at line ${first}`,
          });
        } else seen.set(k, line);
      }
    }
    for (const { row } of table?.allRows ?? table?.rows ?? []) {
      if (spec.primaryKey.every((c) => row[c] !== null && row[c] !== undefined)) pkSet.add(keyText(row, spec.primaryKey, typeOf));
    }
    primaryKeys.set(key, pkSet);
  }
  for (const key of TABLE_ORDER) {
    const table = tables[key];
    const spec = tableSpec(key);
    for (const ref of spec.references) {
      const target = primaryKeys.get(ref.table)!;
      const targetSpec = tableSpec(ref.table);
      for (const { line, row } of table?.rows ?? []) {
        const value = row[ref.column];
        if (value === null || value === undefined) continue;
        const k = canonicalText(value, spec.columns[ref.column]!.type) ?? '';
        if (!target.has(k)) {
          problems.push({ file: table!.file, line, message: `${ref.column}: no such row in ${targetSpec.qualifiedName}` });
        }
      }
    }
  }
  return problems;
}
