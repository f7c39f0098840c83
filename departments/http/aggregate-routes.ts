/**
 * `POST /v1/aggregates/<aggregate>` of a department's exchange API: body
 * `{"regionCode","regionLevel","groupBy","filter"}` (aggregate-query.ts), answer `{"rows":[…]}`. At the injected
 * malformed rate a row's first measure is replaced by MALFORMED_VALUE.
 */
import { Router } from 'express';
import type { Faults } from '../faults';
import { MALFORMED_VALUE } from '../storage';
import { aggregateRequestSchema, type AggregateQuery } from './aggregate-query';
import { NotFoundError, fromZodError } from './errors';

export function aggregateRoutes(aggregates: ReadonlyMap<string, AggregateQuery>, faults: () => Readonly<Faults>): Router {
  const router = Router();
  router.post('/v1/aggregates/:aggregate', async (req, res) => {
    const query = aggregates.get(req.params.aggregate);
    if (!query) throw new NotFoundError(`no aggregate ${req.params.aggregate}`);
    const parsed = aggregateRequestSchema.safeParse(req.body);
    if (!parsed.success) throw fromZodError(parsed.error);
    const rows = await query.run(parsed.data);
    const rate = faults().malformedRate;
    const firstMeasure = Object.keys(query.spec.measures)[0]!;
    res.json({
      rows: rate > 0 ? rows.map((row) => (Math.random() < rate ? { ...row, [firstMeasure]: MALFORMED_VALUE } : row)) : rows,
    });
  });
  return router;
}
