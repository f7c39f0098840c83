/**
 * Prints the schema SDL to schema/schema.graphql (`npm run schema:print`), or with `--check` fails when the
 * committed file differs from the code-first schema (`npm run schema:check`, run by CI and by the test suite).
 */
import fs from 'node:fs';
import path from 'node:path';
import { printSchema } from 'graphql';
import { sortedSchema } from '../schema';

export const SCHEMA_FILE = path.resolve(__dirname, '..', 'schema', 'schema.graphql');

const header = '# Generated from the Pothos schema by `npm run schema:print`. Do not edit by hand.\n\n';
const printed = `${header}${printSchema(sortedSchema)}\n`;

if (process.argv.includes('--check')) {
  const committed = fs.existsSync(SCHEMA_FILE) ? fs.readFileSync(SCHEMA_FILE, 'utf8') : '';
  if (committed !== printed) {
    process.stderr.write('schema/schema.graphql is out of date: run `npm run schema:print` and commit it.\n');
    process.exit(1);
  }
  process.stdout.write('schema/schema.graphql is up to date.\n');
} else {
  fs.writeFileSync(SCHEMA_FILE, printed);
  process.stdout.write(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}\n`);
}
