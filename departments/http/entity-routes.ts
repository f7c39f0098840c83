/**
 * `POST /v1/<entity>:batchGet` and `POST /v1/<entity>:search` of a department's exchange API.
 *
 * Contract: batchGet takes `{"keys":[…]}` (1..500 values of the entity's key field) and answers
 * `{"records":[…]}`; search takes `{"filter":{…},"first":1..500 (default 100),"after":cursor|null,"count":bool
 * (default true)}` and answers `{"records","totalCount","endCursor","hasNextPage"}` (`totalCount` null when
 * `count` is false: the matches are then not counted); it exists only for entities that declare filters
 * (others: 404). Records are corrupted at the injected malformed rate (storage.ts malformedHttpField).
 */
import { Router } from 'express';
import { z } from 'zod';
import type { Faults } from '../faults';
import type { EntityReader } from './entity-reader';
import { NotFoundError, fromZodError } from './errors';
import { corrupt } from './fault-injection';

const searchBodySchema = z.object({
  filter: z.record(z.string(), z.unknown()).nullable().default({}),
  first: z.number().int().min(1).max(500).default(100),
  after: z.string().min(1).max(2000).nullable().default(null),
  count: z.boolean().default(true),
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
      res.json({ records: corrupt(records, entity.malformedHttpField, faults().malformedRate) });
      return;
    }
    if (!entity.spec.filters) throw new NotFoundError(`${entityName} is only read by key (batchGet)`);
    const body = parseBody(searchBodySchema, req.body);
    const page = await reader.search(body.filter, body.first, body.after, body.count);
    res.json({ ...page, records: corrupt(page.records, entity.malformedHttpField, faults().malformedRate) });
  });
  return router;
}
