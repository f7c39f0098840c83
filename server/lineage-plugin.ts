/**
 * Adds the lineage the request asked for (`X-Include-Lineage: 1` or `extensions.includeLineage`) to the
 * response's `extensions.lineage` (resolvers/lineage.ts collects it while fields resolve). Runs before the
 * audit plugin, so that a response withheld for a failed audit write carries no lineage either.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { HubContext } from '../resolvers/context';

export const lineagePlugin: ApolloServerPlugin<HubContext> = {
  requestDidStart() {
    return Promise.resolve({
      willSendResponse({ contextValue: ctx, response }) {
        const body = response.body;
        if (ctx.lineage && body.kind === 'single') {
          body.singleResult.extensions = { ...body.singleResult.extensions, lineage: ctx.lineage.report(body.singleResult.data) };
        }
        return Promise.resolve();
      },
    });
  },
};
