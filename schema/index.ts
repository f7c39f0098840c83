/**
 * The hub's GraphQL schema: imports every domain file (each registers its types and root fields on the
 * builder) and builds the schema once.
 */
import { lexicographicSortSchema } from 'graphql';
import { builder } from './builder';
import './scalars';
import './error-code';
import './connector';
import './region';
import './region-statistics';
import './person';
import './elderly-care-institution';
import './childcare';

export const schema = builder.toSchema();

/** The schema in a stable order, as printed to schema/schema.graphql. */
export const sortedSchema = lexicographicSortSchema(schema);
