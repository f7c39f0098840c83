/**
 * Preloaded (`node --require`) into a server that `npm run bench:peer` measures: counts the SQL statements the
 * process sends through node-postgres (every `Client#query`, which `Pool#query` and Prisma's pg adapter go
 * through; BEGIN and COMMIT count as statements), per database. On SIGUSR2 it writes the counts so far as JSON
 * ({"<database>": n}) to `sql-<pid>.json` in the folder BENCH_SQL_COUNT_DIR. Counting is one increment per
 * statement.
 */
const fs = require('node:fs');
const path = require('node:path');

const pg = require(require.resolve('pg', { paths: [process.cwd()] }));
const counts = Object.create(null);
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function countedQuery(...args) {
  counts[this.database] = (counts[this.database] ?? 0) + 1;
  return query.apply(this, args);
};
process.on('SIGUSR2', () => {
  const dir = process.env.BENCH_SQL_COUNT_DIR;
  if (dir) fs.writeFileSync(path.join(dir, `sql-${process.pid}.json`), JSON.stringify(counts));
});
