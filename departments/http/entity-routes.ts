/**
 * `POST /v1/<entity>:batchGet` and `POST /v1/<entity>:search` of a department's exchange API.
 *
 * Contract: batchGet takes `{"keys":[…]}` (1..500 values of the entity's key field) and answers
 * `{"records":[…]}`; search takes `{"filter":{…},"first":1..500 (default 100),"after":cursor|null,"count":bool
 * (default true),"fields":[…] (optional)}` and answers `{"records","totalCount","endCursor","hasNextPage"}`
 * (`totalCount` null when `count` is false: the matches are then not counted; with `fields`, records hold those
 * fields and the key, recordId and `updatedAt`); it exists only for entities that declare filters (others: 404). Records are corrupted at the injected malformed rate (storage.ts malformedHttpField).
 */
import { Router } from 'express';
import { z } from 'zod';
import type { Faults } from '../faults';
import type { EntityReader, RecordJson } from './entity-reader';
import { NotFoundError, fromZodError } from './errors';
import { corrupt } from './fault-injection';

/**
 * The records as a JSON array: PostgreSQL's texts joined as they are, or (while a malformed rate is injected)
 * parsed so that some can be corrupted.
 */
function recordsJson(records: readonly RecordJson[], field: string, rate: number): string {
  if (rate <= 0) return `[${records.join(',')}]`;
  const parsed = records.map((record) => JSON.parse(record) as Record<string, unknown>);
  return JSON.stringify(corrupt(parsed, field, rate));
}

const searchBodySchema = z.object({
  filter: z.record(z.string(), z.unknown()).nullable().default({}),
  first: z.number().int().min(1).max(500).default(100),
  after: z.string().min(1).max(2000).nullable().default(null),
  count: z.boolean().default(true),
  fields: z.array(z.string().min(1).max(64)).min(1).max(100).optional(),
});

function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw fromZodError(parsed.error);
  return parsed.data;
}

export function entityRoutes(readers: ReadonlyMap<string, EntityReader>, faults: () => Readonly<Faults>): Router {
  const batchGetSchemas = new Map(
    [...readers].map(([name, reader]) => [name, z.object({ keys: z.array(reader.entity.key.schema).min(1).max(500) })]),
  );
  const router = Router();
  router.post('/v1/:operation', async (req, res) => {
    const operation = req.params.operation;
    const separator = operation.lastIndexOf(':');
    const entityName = operation.slice(0, separator);
    const method = operation.slice(separator + 1);
    const reader = separator > 0 ? readers.get(entityName) : undefined;
    if (!reader || (method !== 'batchGet' && method !== 'search')) throw new NotFoundError(`no operation ${operation}`);
    const { entity } = reader;
    if (method === 'batchGet') {
      const { keys } = parseBody(batchGetSchemas.get(entityName)!, req.body) as { keys: string[] };
      const records = await reader.batchGet(keys);
      res.type('json').send(`{"records":${recordsJson(records, entity.malformedHttpField, faults().malformedRate)}}`);
      return;
    }
    if (!entity.spec.filters) throw new NotFoundError(`${entityName} is only read by key (batchGet)`);
    const body = parseBody(searchBodySchema, req.body);
    const { records, ...page } = await reader.search(body.filter, body.first, body.after, body.count, body.fields);
    const rest = JSON.stringify(page).slice(1); // `"totalCount":…}`
    res.type('json').send(`{"records":${recordsJson(records, entity.malformedHttpField, faults().malformedRate)},${rest}`);
  });
  return router;
}
