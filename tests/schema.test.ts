import fs from 'node:fs';
import path from 'node:path';
import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  printSchema,
  type GraphQLNamedType,
} from 'graphql';
import { sortedSchema } from '../schema';

const BUILT_IN_SCALARS = new Set(['String', 'Int', 'Float', 'Boolean', 'ID']);
const CHINESE = /[\u4e00-\u9fff]/;
const ENGLISH = /[A-Za-z]{3,}/;

function bilingual(description: string | null | undefined): boolean {
  return !!description && CHINESE.test(description) && ENGLISH.test(description);
}

/** Every named thing a front-end developer reads in the explorer, with its description. */
function describedParts(type: GraphQLNamedType): Array<[string, string | null | undefined]> {
  const parts: Array<[string, string | null | undefined]> = [[type.name, type.description]];
  if (isObjectType(type) || isInterfaceType(type) || isInputObjectType(type)) {
    for (const field of Object.values(type.getFields())) {
      parts.push([`${type.name}.${field.name}`, field.description]);
      for (const arg of 'args' in field ? field.args : []) {
        parts.push([`${type.name}.${field.name}(${arg.name})`, arg.description]);
      }
    }
  }
  if (isEnumType(type)) {
    for (const value of type.getValues()) parts.push([`${type.name}.${value.name}`, value.description]);
  }
  return parts;
}

describe('schema', () => {
  it('matches the committed schema/schema.graphql (run `npm run schema:print` after changing it)', () => {
    const committed = fs.readFileSync(path.resolve(__dirname, '..', 'schema', 'schema.graphql'), 'utf8');
    // The whole file: the generated-file header, the printed schema and a final newline, nothing else.
    const header = '# Generated from the Pothos schema by `npm run schema:print`. Do not edit by hand.\n\n';
    expect(committed).toEqual(`${header}${printSchema(sortedSchema)}\n`);
  });

  it('describes every type, field, argument and enum value in Chinese and English', () => {
    const types = Object.values(sortedSchema.getTypeMap()).filter(
      (type) => !type.name.startsWith('__') && !(isScalarType(type) && BUILT_IN_SCALARS.has(type.name)),
    );
    const undescribed = types.flatMap(describedParts).filter(([, description]) => !bilingual(description));
    expect(undescribed.map(([name]) => name)).toEqual([]);
  });
});
