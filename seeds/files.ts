/**
 * The data set as files: one folder per department schema, one file per table (seeds/README.md documents the
 * formats).
 *
 * - `writeDataset(dataset, dir, format)`: writes every catalogue table as `<dir>/<schema>/<table>.csv` (header
 *   = the table's columns; an empty field is null, "" the empty string, arrays as JSON text) or `.json` (an
 *   array of row objects, one per line). The other format's file of the same table is removed, so a directory
 *   never holds two versions of a table.
 * - `readDataset(dir)`: reads such a directory and validates every row (seeds/validation.ts) before returning
 *   anything to load. Unknown folders or files, a table in both formats, a bad header, a malformed record and a
 *   bad row are all problems with file, line and reason; every one is reported. A table without a file is
 *   loaded empty (listed in `missing`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { parseCsv, splitJsonArray } from './csv';
import { csvField, decodeCsvField, decodeJsonValue } from './encoding';
import {
  DEPARTMENT_SCHEMAS,
  emptyDataset,
  rowsOf,
  TABLE_ORDER,
  tableSpec,
  type AnyRow,
  type Dataset,
  type TableKey,
  type Value,
} from './tables';
import { crossCheck, validateRows, type LocatedProblem, type LocatedRow } from './validation';

export type FileFormat = 'csv' | 'json';
export const FILE_FORMATS: readonly FileFormat[] = ['csv', 'json'];

export function tableFile(dir: string, key: TableKey, format: FileFormat): string {
  const spec = tableSpec(key);
  return path.join(dir, spec.schema, `${spec.name}.${format}`);
}

/** Writes text produced in pieces, respecting back-pressure. */
async function writeStreamed(file: string, pieces: Iterable<string>): Promise<void> {
  const out = fs.createWriteStream(file, { encoding: 'utf8' });
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  let buffer = '';
  for (const piece of pieces) {
    buffer += piece;
    if (buffer.length >= 1 << 16) {
      if (!out.write(buffer)) await Promise.race([once(out, 'drain'), failed]);
      buffer = '';
    }
  }
  out.end(buffer);
  await Promise.race([once(out, 'finish'), failed]);
}

function* csvLines(key: TableKey, rows: readonly AnyRow[]): Generator<string> {
  const columns = tableSpec(key).columnNames;
  yield `${columns.join(',')}\n`;
  for (const row of rows) yield `${columns.map((c) => csvField(row[c] ?? null)).join(',')}\n`;
}

function* jsonLines(key: TableKey, rows: readonly AnyRow[]): Generator<string> {
  const columns = tableSpec(key).columnNames;
  yield '[';
  let first = true;
  for (const row of rows) {
    // Columns in DDL order, one row per line.
    const ordered: Record<string, Value> = {};
    for (const c of columns) ordered[c] = row[c] ?? null;
    yield `${first ? '\n' : ',\n'}${JSON.stringify(ordered)}`;
    first = false;
  }
  yield '\n]\n';
}

export async function writeDataset(dataset: Dataset, dir: string, format: FileFormat): Promise<string[]> {
  const written: string[] = [];
  for (const key of TABLE_ORDER) {
    const file = tableFile(dir, key, format);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    for (const other of FILE_FORMATS) if (other !== format) fs.rmSync(tableFile(dir, key, other), { force: true });
    await writeStreamed(file, format === 'csv' ? csvLines(key, rowsOf(dataset, key)) : jsonLines(key, rowsOf(dataset, key)));
    written.push(file);
  }
  return written;
}

interface ParsedRows {
  /** Fully decoded rows, to validate. */
  rows: LocatedRow[];
  /** Every record, also those with undecodable fields (which are left out): foreign keys may point at them. */
  allRows: LocatedRow[];
  problems: LocatedProblem[];
}

/** A row's start: null in every column added later that the file does not have. */
function withAbsentColumns(spec: ReturnType<typeof tableSpec>, present: readonly string[]): AnyRow {
  const row: AnyRow = {};
  for (const column of spec.columnNames) if (spec.columns[column]!.addedLater && !present.includes(column)) row[column] = null;
  return row;
}

function csvRows(key: TableKey, file: string, text: string): ParsedRows {
  const spec = tableSpec(key);
  const { records, problems: syntax } = parseCsv(text);
  const problems: LocatedProblem[] = syntax.map((p) => ({ file, ...p }));
  const rows: LocatedRow[] = [];
  const allRows: LocatedRow[] = [];
  const [header, ...body] = records;
  if (!header) {
    problems.push({ file, line: 1, message: `no header line (expected: ${spec.columnNames.join(',')})` });
    return { rows, allRows, problems };
  }
  const names = header.fields.map((f) => f.text);
  const known = new Set<string>(spec.columnNames);
  const headerProblems = [
    ...names.filter((n, i) => names.indexOf(n) !== i).map((n) => `header: column ${n} appears twice`),
    ...names.filter((n) => !known.has(n)).map((n) => `header: unknown column ${n}`),
    ...spec.columnNames
      .filter((c) => !names.includes(c) && !spec.columns[c]!.addedLater)
      .map((c) => `header: missing column ${c}`),
  ];
  if (headerProblems.length > 0) {
    problems.push(...headerProblems.map((message) => ({ file, line: header.line, message })));
    return { rows, allRows, problems };
  }
  for (const record of body) {
    if (record.fields.length !== names.length) {
      problems.push({ file, line: record.line, message: `has ${record.fields.length} fields, the header has ${names.length}` });
      continue;
    }
    const row: AnyRow = withAbsentColumns(spec, names);
    let ok = true;
    record.fields.forEach((field, i) => {
      const column = names[i]!;
      const decoded = decodeCsvField(field.text, field.quoted, spec.columns[column]!.type);
      if (decoded.ok) row[column] = decoded.value;
      else {
        ok = false;
        problems.push({ file, line: record.line, message: `${column}: ${decoded.reason}` });
      }
    });
    if (ok) rows.push({ line: record.line, row });
    allRows.push({ line: record.line, row });
  }
  return { rows, allRows, problems };
}

function jsonRows(key: TableKey, file: string, text: string): ParsedRows {
  const spec = tableSpec(key);
  const { elements, problems: syntax } = splitJsonArray(text);
  const problems: LocatedProblem[] = syntax.map((p) => ({ file, ...p }));
  const rows: LocatedRow[] = [];
  for (const element of elements) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(element.text);
    } catch {
      problems.push({ file, line: element.line, message: 'not valid JSON' });
      continue;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      problems.push({ file, line: element.line, message: 'must be a JSON object (one row)' });
      continue;
    }
    const row: AnyRow = withAbsentColumns(spec, Object.keys(parsed));
    for (const [column, value] of Object.entries(parsed)) {
      const type = spec.columns[column]?.type;
      // Unknown columns are kept, so that the strict row schema reports them.
      const decoded = type ? decodeJsonValue(value, type) : { ok: true as const, value: value as Value };
      if (decoded.ok) row[column] = decoded.value;
    }
    rows.push({ line: element.line, row });
  }
  return { rows, allRows: rows, problems };
}

export interface ReadResult {
  dataset: Dataset;
  problems: LocatedProblem[];
  /** Tables with no file in the directory (loaded empty). */
  missing: TableKey[];
  files: Partial<Record<TableKey, string>>;
}

const isHidden = (name: string) => name.startsWith('.');

export async function readDataset(dir: string): Promise<ReadResult> {
  const dataset = emptyDataset();
  const problems: LocatedProblem[] = [];
  const files: Partial<Record<TableKey, string>> = {};
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    return { dataset, problems: [{ file: dir, line: 0, message: 'no such directory' }], missing: [...TABLE_ORDER], files };
  }
  const bySchemaAndFile = new Map<string, TableKey>();
  for (const key of TABLE_ORDER) {
    for (const format of FILE_FORMATS) bySchemaAndFile.set(`${tableSpec(key).schema}/${tableSpec(key).name}.${format}`, key);
  }
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (isHidden(entry.name)) continue;
    const entryPath = path.join(dir, entry.name);
    if (!entry.isDirectory() || !(DEPARTMENT_SCHEMAS as readonly string[]).includes(entry.name)) {
      problems.push({
        file: entryPath,
        line: 0,
        message: `unexpected ${entry.isDirectory() ? 'folder' : 'file'}: expected one folder per department schema (${DEPARTMENT_SCHEMAS.join(', ')})`,
      });
      continue;
    }
    for (const name of fs.readdirSync(entryPath).sort()) {
      if (isHidden(name)) continue;
      const file = path.join(entryPath, name);
      const key = bySchemaAndFile.get(`${entry.name}/${name}`);
      if (!key) {
        const tables = TABLE_ORDER.filter((k) => tableSpec(k).schema === entry.name).map((k) => tableSpec(k).name);
        problems.push({
          file,
          line: 0,
          message: `unexpected file: expected <table>.csv or <table>.json for a table of ${entry.name} (${tables.join(', ')})`,
        });
        continue;
      }
      if (files[key]) {
        problems.push({ file, line: 0, message: `${tableSpec(key).qualifiedName} has both a CSV and a JSON file` });
        continue;
      }
      files[key] = file;
    }
  }

  const validRows: Partial<Record<TableKey, { file: string; rows: LocatedRow[]; allRows: LocatedRow[] }>> = {};
  for (const key of TABLE_ORDER) {
    const file = files[key];
    if (!file) continue;
    const text = await fs.promises.readFile(file, 'utf8');
    const parsed = file.endsWith('.csv') ? csvRows(key, file, text) : jsonRows(key, file, text);
    problems.push(...parsed.problems);
    const { valid, problems: rowProblems } = validateRows(key, file, parsed.rows);
    problems.push(...rowProblems);
    validRows[key] = { file, rows: valid, allRows: parsed.allRows };
  }
  problems.push(...crossCheck(validRows));
  for (const key of TABLE_ORDER) {
    (dataset[key] as AnyRow[]) = (validRows[key]?.rows ?? []).map((r) => r.row);
  }
  problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  return { dataset, problems, missing: TABLE_ORDER.filter((k) => !files[k]), files };
}
