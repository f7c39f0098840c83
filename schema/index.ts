/**
 * The hub's GraphQL schema: imports every domain file (each registers its types and root fields on the
 * builder) and builds the schema once.
 */
import { lexicographicSortSchema } from 'graphql';
import { builder } from './builder';
import { removePlainLeafResolvers } from './plugins/catalogue-leaves';
import './scalars';
import './connection';
import './error-code';
import './connector';
import './provenance';
import './sharing-catalog';
import './consumer';
import './audit-event';
import './region';
import './region-statistics';
import './person';
import './elderly-care-institution';
import './childcare';
import './indicator';
import './birth-application';

/**
 * Every resolver is guarded by the sharing catalogue, as its field declares (schema/plugins/catalogue.ts); plain
 * leaves have no resolver and are guarded by their parent (schema/plugins/catalogue-leaves.ts).
 */
export const schema = builder.toSchema();
removePlainLeafResolvers(schema);

/** The schema in a stable order, as printed to schema/schema.graphql. */
export const sortedSchema = lexicographicSortSchema(schema);
