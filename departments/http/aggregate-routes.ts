/**
 * Aggregates of a department's exchange API:
 * - `POST /v1/aggregates/<aggregate>`: body `{"regionCode","regionLevel","groupBy","filter"}` (aggregate-query.ts),
 *   answer `{"rows":[…]}`;
 * - `POST /v1/aggregates`: body `{"queries":[{"aggregate", …the same fields}]}` (1..MAX_BATCH queries), answer
 *   `{"results":[{"rows":[…]}, …]}` in the order asked: several aggregates in one round trip. The batch is
 *   validated whole before any query runs (a bad query answers 400 with `field: "queries.<i>.<field>"`), so a
 *   caller never receives half an answer.
 * At the injected malformed rate a row's first measure is replaced by MALFORMED_VALUE.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { Faults } from '../faults';
import { MALFORMED_VALUE } from '../storage';
import { aggregateRequestSchema, type AggregateQuery, type AggregateRequest, type AggregateRow } from './aggregate-query';
import { ApiError, BadRequestError, NotFoundError, fromZodError } from './errors';

export const MAX_BATCH = 20;

const batchRequestSchema = z.object({
  queries: z
    .array(aggregateRequestSchema.extend({ aggregate: z.string().min(1).max(64) }))
    .min(1)
    .max(MAX_BATCH),
});

export function aggregateRoutes(aggregates: ReadonlyMap<string, AggregateQuery>, faults: () => Readonly<Faults>): Router {
  const router = Router();
  const answer = async (query: AggregateQuery, request: AggregateRequest) => {
    const rows = await query.run(request);
    const rate = faults().malformedRate;
    const firstMeasure = Object.keys(query.spec.measures)[0]!;
    return rate > 0
      ? rows.map((row): AggregateRow => (Math.random() < rate ? { ...row, [firstMeasure]: MALFORMED_VALUE } : row))
      : rows;
  };

  router.post('/v1/aggregates', async (req, res) => {
    const parsed = batchRequestSchema.safeParse(req.body);
    if (!parsed.success) throw fromZodError(parsed.error);
    const planned = parsed.data.queries.map(({ aggregate, ...request }, i) => {
      const query = aggregates.get(aggregate);
      if (!query)
        throw new BadRequestError(`no aggregate "${aggregate.slice(0, 64)}"`, {
          field: `queries.${i}.aggregate`,
          reason: 'UNKNOWN_AGGREGATE',
        });
      return { query, request, i };
    });
    // Dimensions are checked when a query runs: run every check first (an empty region answers fast), so a bad
    // dimension in query 3 does not leave queries 0–2 computed for nothing.
    planned.forEach(({ query, request, i }) => {
      try {
        query.check(request);
      } catch (error) {
        if (error instanceof ApiError && error.details.field)
          throw new BadRequestError(error.message, { ...error.details, field: `queries.${i}.${error.details.field}` });
        throw error;
      }
    });
    const results = await Promise.all(planned.map(async ({ query, request }) => ({ rows: await answer(query, request) })));
    res.json({ results });
  });

  router.post('/v1/aggregates/:aggregate', async (req, res) => {
    const query = aggregates.get(req.params.aggregate);
    if (!query) throw new NotFoundError(`no aggregate ${req.params.aggregate}`);
    const parsed = aggregateRequestSchema.safeParse(req.body);
    if (!parsed.success) throw fromZodError(parsed.error);
    res.json({ rows: await answer(query, parsed.data) });
  });
  return router;
}
