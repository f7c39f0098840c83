/**
 * Text the hub cannot store or compare: a NUL character (U+0000) in any string a request passes — a literal in
 * the document or a variable, at any depth of an input object or list, in any argument of any field — is refused
 * with 400 BAD_USER_INPUT naming the argument's path (`ownerDepartment`, `filter.consumer`) and reason
 * NUL_CHARACTER, after validation and before any resolver runs. PostgreSQL text cannot hold U+0000, so such a
 * value used as a filter (`sharingCatalog(ownerDepartment:)`, `auditEvents(filter: {consumer})`) failed in the
 * database and reached the client as INTERNAL; no argument of the schema has a use for it.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, visit, type DocumentNode, type ValueNode } from 'graphql';
import type { HubContext } from '../resolvers/context';
import { BadUserInputError } from '../domain/errors';

const NUL = '\u0000';

/** The path of the first string holding a NUL inside a variable's value, or null. */
function nulInValue(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes(NUL) ? path : null;
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = nulInValue(item, path);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = nulInValue(item, `${path}.${key}`);
      if (found) return found;
    }
  }
  return null;
}

interface Variables {
  given: Record<string, unknown>;
  /** Default values of the variables the request does not give. */
  defaults: Map<string, ValueNode>;
}

/** The path of the first string holding a NUL inside an argument's value (literals and variables), or null. */
function nulInNode(node: ValueNode, path: string, variables: Variables): string | null {
  switch (node.kind) {
    case Kind.STRING:
      return node.value.includes(NUL) ? path : null;
    case Kind.VARIABLE: {
      const name = node.name.value;
      if (Object.hasOwn(variables.given, name)) return nulInValue(variables.given[name], path);
      const byDefault = variables.defaults.get(name);
      return byDefault ? nulInNode(byDefault, path, variables) : null;
    }
    case Kind.LIST:
      for (const item of node.values) {
        const found = nulInNode(item, path, variables);
        if (found) return found;
      }
      return null;
    case Kind.OBJECT:
      for (const field of node.fields) {
        const found = nulInNode(field.value, `${path}.${field.name.value}`, variables);
        if (found) return found;
      }
      return null;
    default:
      return null;
  }
}

/** A document's arguments in document order and its variables' defaults: walked once per parsed document. */
interface DocumentArguments {
  arguments: Array<{ name: string; value: ValueNode }>;
  defaults: Map<string, ValueNode>;
}
const argumentsByDocument = new WeakMap<DocumentNode, DocumentArguments>();
function documentArguments(document: DocumentNode): DocumentArguments {
  let found = argumentsByDocument.get(document);
  if (!found) {
    const defaults = new Map<string, ValueNode>();
    const args: DocumentArguments['arguments'] = [];
    visit(document, {
      VariableDefinition(definition) {
        if (definition.defaultValue) defaults.set(definition.variable.name.value, definition.defaultValue);
      },
      Argument(argument) {
        args.push({ name: argument.name.value, value: argument.value });
      },
    });
    argumentsByDocument.set(document, (found = { arguments: args, defaults }));
  }
  return found;
}

/**
 * The path of the first argument in the document (operations and fragments) whose text holds a NUL, or null.
 * The document is walked once (Apollo hands the same DocumentNode for the same query text); each request then
 * checks only its arguments' values.
 */
export function argumentWithNul(document: DocumentNode, given: Record<string, unknown>): string | null {
  const { arguments: args, defaults } = documentArguments(document);
  for (const argument of args) {
    const found = nulInNode(argument.value, argument.name, { given, defaults });
    if (found) return found;
  }
  return null;
}

export const textInputPlugin: ApolloServerPlugin<HubContext> = {
  requestDidStart: () =>
    Promise.resolve({
      didResolveOperation: ({ document, request }) => {
        const field = argumentWithNul(document, request.variables ?? {});
        if (!field) return Promise.resolve();
        return Promise.reject(
          new BadUserInputError(`${field} contains a NUL character (U+0000) 参数含有空字符`, {
            field,
            reason: 'NUL_CHARACTER',
            http: { status: 400 },
          }),
        );
      },
    }),
};
