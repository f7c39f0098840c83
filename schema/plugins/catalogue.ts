/**
 * The catalogue plugin: each field declares the sharing-catalogue item it belongs to and whether resolving it makes
 * its request audited, and every field resolver is wrapped once, at build, so that no resolver can forget a check.
 *
 * Declarations (Pothos options):
 * - `catalogue: { item, mask? }` on a field: the catalogue item (schema/catalogue-items.ts) and, for a personal
 *   identifier, how it is masked for a consumer without the item. `catalogue: { item }` on an object type is the
 *   default for every field of the type; `catalogue: false` on a field opts it out (`provenance`). A catalogued
 *   field without a mask is published nullable (the catalogue may refuse it, and a refusal nulls only that field);
 *   a masked field keeps its declared nullability.
 * - `audit` on a field: whether resolving it makes its request audited (one audit event before the response):
 *   - `'personal'`: over personal data. Implied by a personal catalogue item (read, masked or refused: audited);
 *     declared on the uncatalogued fields that return personal records (`person`, `persons`, `Person.health`, …),
 *     where a personal item refused by their resolver (a filter) audits the request;
 *   - `'administration'` (changes who may see what) and `'audit-trail'` (reads the trail): every attempt is audited,
 *     refused or failed ones included;
 *   - `'privileged'`: guarded by a role but not itself audited (`verifyAuditChain`: auditing it would extend the
 *     chain it checks); a refused attempt is audited.
 *   Mutation fields and fields with `authScopes` must declare one: the schema does not build otherwise.
 *
 * The resolved declarations are kept in each field's extensions (`catalogue`, `audit`); `catalogueFields(schema)`
 * reads them back as the one field → item map (syncCatalogue writes it into the database, which the guard enforces).
 *
 * Contract, per resolved field (domain/access-policy.ts decides, against the request's catalogue snapshot):
 * - open (not in the catalogue): resolved as written;
 * - allow: resolved, and noted for the audit event (item read, subject read);
 * - mask: resolved, and the value masked before it leaves;
 * - forbid: not resolved at all (no department is called for it); null with a FORBIDDEN error at its path.
 * When the request asked for lineage, every field's result is also shown to the lineage collector. The plugin is the
 * outermost wrapper (first in the builder's plugin list): it decides before scope auth or any resolver runs, masks
 * the final value, and sees scope auth's refusals. Plain leaves (a record's property exposed as a scalar or enum,
 * nothing else wrapping it, no audit declaration) lose their resolver once the schema is built, and each field
 * returning their type applies their guard to what it returns (catalogue-leaves.ts): the same decisions, notes,
 * refusals and masks, without a resolver call per row.
 */
import SchemaBuilder, {
  BasePlugin,
  PothosSchemaError,
  type FieldNullability,
  type InputFieldMap,
  type InputShapeFromFields,
  type PothosOutputFieldConfig,
  type SchemaTypes,
  type TypeParam,
} from '@pothos/core';
import { GraphQLObjectType, type GraphQLField, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import type { CatalogueField, MaskKind } from '../../domain/catalogue';
import { sha256 } from '../../domain/digest';
import { ForbiddenError } from '../../domain/errors';
import { CatalogueRefusal, type RequestAccess } from '../../domain/request-access';
import type { HubContext } from '../../resolvers/context';
import { CATALOGUE_ITEMS, type CatalogueItemCode } from '../catalogue-items';
import { guardPlainLeaves, isPromise, noteDecision, notePlainLeaf } from './catalogue-leaves';

export type AuditDeclaration = 'personal' | 'administration' | 'audit-trail' | 'privileged';

/** A field's catalogue declaration: its item and, for a personal identifier, its mask. */
export interface FieldCatalogueOption {
  item: CatalogueItemCode;
  mask?: MaskKind;
}

/** What the plugin resolved for a field, in its extensions. */
interface CatalogueExtension {
  item: CatalogueItemCode;
  mask: MaskKind | null;
}

/* eslint-disable @typescript-eslint/no-unused-vars -- declaration merging repeats Pothos' type parameters */
declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Pothos' plugin types live in this global namespace
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      catalogue: PothosCataloguePlugin<Types>;
    }

    export interface ObjectTypeOptions<Types extends SchemaTypes, Shape> {
      /** The catalogue item of every field of the type (a field may declare its own, or `false`). */
      catalogue?: { item: CatalogueItemCode };
    }

    export interface FieldOptions<
      Types extends SchemaTypes,
      ParentShape,
      Type extends TypeParam<Types>,
      Nullable extends FieldNullability<Type>,
      Args extends InputFieldMap,
      ResolveShape,
      ResolveReturnShape,
    > {
      /** The field's sharing-catalogue item (and mask); `false`: not catalogued even if its type is. */
      catalogue?: FieldCatalogueOption | false;
      /** Whether resolving the field audits its request (implied by a personal catalogue item). */
      audit?: AuditDeclaration;
      /** For an administration mutation: what it changes, recorded in its audit event (`consumer:<code>`). */
      auditTarget?: (args: InputShapeFromFields<Args>) => string;
    }
  }
}
/* eslint-enable @typescript-eslint/no-unused-vars */

const pluginName = 'catalogue';

const ITEMS = new Map<string, (typeof CATALOGUE_ITEMS)[number]>(CATALOGUE_ITEMS.map((item) => [item.code, item]));

/** What scope auth's `unauthorizedError` returns (schema/builder.ts): a guarded field refused for a missing role. */
export class RoleRequiredError extends ForbiddenError {
  constructor(coordinate: string) {
    super(`${coordinate} needs a role this consumer does not have 接入方角色不足`, { reason: 'ROLE_REQUIRED' });
  }
}

/** Audits a failed attempt at a field that declares it: a privileged field refused, or a personal item refused. */
function auditFailure(access: RequestAccess, audit: AuditDeclaration, error: unknown): void {
  if (audit === 'privileged' && error instanceof RoleRequiredError) access.markAudited('refused-privileged');
  if (audit === 'personal' && error instanceof CatalogueRefusal && error.item.personal) access.markAudited('personal');
}

/** Canonical JSON (keys sorted at every level), so equal arguments always hash alike. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([key, v]) => `${JSON.stringify(key)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * An administration mutation: its writes and its own audit event (what it changed, a hash of its arguments)
 * commit in one transaction, so no change survives without its event. If either fails, nothing is kept and the
 * request's event (written after the response is formed) records the failed attempt.
 */
function administered(
  coordinate: string,
  target: ((args: never) => string) | undefined,
  resolve: GraphQLFieldResolver<unknown, HubContext>,
): GraphQLFieldResolver<unknown, HubContext> {
  return (source, args, ctx, info) => {
    const event = {
      time: new Date(),
      consumerId: ctx.access.consumer.id,
      consumerCode: ctx.access.consumer.code,
      purpose: ctx.access.purpose,
      operationName: info.operation.name?.value ?? null,
      // The document as graphql-js parsed it (the same text the request's own event hashes).
      documentHash: sha256(info.operation.loc?.source.body ?? ''),
      subjects: [],
      catalogueItems: [],
      outcome: 'OK' as const,
      requestId: ctx.requestId,
      target: target ? target(args as never) : coordinate,
      variablesHash: sha256(canonicalJson(args)),
    };
    return ctx.auditTrail
      .withEvent(event, async (db) => await resolve(source, args, { ...ctx, prisma: db }, info))
      .then(
        (result) => {
          ctx.access.noteChangeAudited();
          return result;
        },
        (error: unknown) => {
          ctx.access.changeFailed = true;
          throw error;
        },
      );
  };
}

function noteSubjects(access: RequestAccess, value: unknown): unknown {
  access.noteSubjectsOf(value);
  return value;
}

function guard(
  coordinate: string,
  declared: { catalogued: boolean; audit: AuditDeclaration | undefined },
  resolve: GraphQLFieldResolver<unknown, HubContext>,
): GraphQLFieldResolver<unknown, HubContext> {
  const { audit } = declared;
  const auditsAttempt = audit === 'administration' || audit === 'audit-trail';
  // A catalogued field's refusals are the guard's own (below); others' come from scope auth or the resolver.
  const auditsFailure = audit === 'privileged' || (audit === 'personal' && !declared.catalogued);
  return (source, args, ctx, info) => {
    const access = ctx.access;
    const decision = access.decide(coordinate);
    if (decision.kind !== 'open') {
      noteDecision(access, decision, source);
      if (decision.kind === 'forbid') throw access.refusal(coordinate, decision.item, decision.reason);
    }
    if (auditsAttempt) access.markAudited(audit);
    let result: unknown;
    try {
      result = resolve(source, args, ctx, info);
    } catch (error) {
      if (auditsFailure) auditFailure(access, audit, error);
      throw error;
    }
    // The plain leaves of what this field returns have no resolver: their guard is applied here (catalogue-leaves.ts).
    result = guardPlainLeaves(result, info, access);
    if (auditsFailure && isPromise(result)) {
      result = result.catch((error: unknown) => {
        auditFailure(access, audit, error);
        throw error;
      });
    }
    // An uncatalogued field that may return people (a lookup, a list, an edge): returning any is a personal read,
    // whatever of them the query selects (even only `__typename` or `provenance`).
    // (No named closure per call: the hub runs through tsx, whose transform names each with a property definition.)
    if (audit === 'personal' && !declared.catalogued) {
      result = isPromise(result) ? result.then((value) => noteSubjects(access, value)) : noteSubjects(access, result);
    }
    ctx.lineage?.observe(info.path, source, result);
    if (decision.kind !== 'mask') return result;
    return isPromise(result) ? result.then((value) => access.mask(decision.mask, value)) : access.mask(decision.mask, result);
  };
}

export class PothosCataloguePlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  override onOutputFieldConfig(fieldConfig: PothosOutputFieldConfig<Types>): PothosOutputFieldConfig<Types> {
    const coordinate = `${fieldConfig.parentType}.${fieldConfig.name}`;
    const options = fieldConfig.pothosOptions;
    const typeConfig = this.buildCache.getTypeConfig(fieldConfig.parentType);
    const typeDefault = typeConfig.kind === 'Object' ? typeConfig.pothosOptions.catalogue : undefined;
    const declared: FieldCatalogueOption | undefined =
      options.catalogue === false ? undefined : (options.catalogue ?? typeDefault);
    const catalogue: CatalogueExtension | null = declared ? { item: declared.item, mask: declared.mask ?? null } : null;
    const item = catalogue ? ITEMS.get(catalogue.item) : undefined;
    if (catalogue && !item) throw new PothosSchemaError(`${coordinate}: no catalogue item ${catalogue.item}`);
    if (catalogue && options.audit) {
      throw new PothosSchemaError(`${coordinate}: a catalogued field is audited as its item says; declare no audit`);
    }
    const audit = options.audit ?? (item?.personal ? 'personal' : undefined);
    if (!audit && (fieldConfig.kind === 'Mutation' || options.authScopes)) {
      throw new PothosSchemaError(`${coordinate}: a mutation or a field guarded by auth scopes must declare audit`);
    }
    return {
      ...fieldConfig,
      type: catalogue && !catalogue.mask ? { ...fieldConfig.type, nullable: true } : fieldConfig.type,
      extensions: { ...fieldConfig.extensions, ...(catalogue ? { catalogue } : {}), ...(audit ? { audit } : {}) },
    };
  }

  override wrapResolve(
    resolver: GraphQLFieldResolver<unknown, Types['Context'], object>,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ): GraphQLFieldResolver<unknown, Types['Context'], object> {
    const coordinate = `${fieldConfig.parentType}.${fieldConfig.name}`;
    const extensions = fieldConfig.extensions ?? {};
    const audit = extensions.audit as AuditDeclaration | undefined;
    let resolve = resolver as GraphQLFieldResolver<unknown, HubContext>;
    if (fieldConfig.kind === 'Mutation' && audit === 'administration') {
      resolve = administered(coordinate, fieldConfig.pothosOptions.auditTarget, resolve);
    }
    const guarded = guard(coordinate, { catalogued: extensions.catalogue !== undefined, audit }, resolve);
    notePlainLeaf(
      resolver as GraphQLFieldResolver<unknown, unknown, object>,
      guarded as GraphQLFieldResolver<unknown, unknown, object>,
      {
        kind: fieldConfig.kind,
        audit,
      },
    );
    return guarded as GraphQLFieldResolver<unknown, Types['Context'], object>;
  }
}

SchemaBuilder.registerPlugin(pluginName, PothosCataloguePlugin);

export default pluginName;

/** A built field's catalogue declaration (item and mask), or null when it is not catalogued. */
export function catalogueOf(field: GraphQLField<unknown, unknown>): CatalogueExtension | null {
  return (field.extensions.catalogue as CatalogueExtension | undefined) ?? null;
}

/** A built field's audit declaration (`personal` implied by a personal catalogue item), if any. */
export function auditOf(field: GraphQLField<unknown, unknown>): AuditDeclaration | undefined {
  return field.extensions.audit as AuditDeclaration | undefined;
}

/**
 * The sharing catalogue's fields, read back from the declarations in the built schema: each catalogued field with
 * its item and mask, in coordinate order. The one field → item map: syncCatalogue writes it into the database.
 */
export function catalogueFields(schema: GraphQLSchema): CatalogueField[] {
  const fields: CatalogueField[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!(type instanceof GraphQLObjectType) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const declared = catalogueOf(field);
      if (declared) fields.push({ coordinate: `${type.name}.${field.name}`, itemCode: declared.item, mask: declared.mask });
    }
  }
  return fields.sort((a, b) => (a.coordinate < b.coordinate ? -1 : a.coordinate > b.coordinate ? 1 : 0));
}
