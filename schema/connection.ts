/** What every connection has besides its edges: `totalCount`, which each list's resolver returns with its page. */
import { builder } from './builder';

builder.globalConnectionField('totalCount', (t) =>
  t.int({
    description: '总数 How many items match the filter (all pages)',
    resolve: (connection) => connection.totalCount,
  }),
);
