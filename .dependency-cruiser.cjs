/**
 * dependency-cruiser: the hub's layers. Imports run one way, from the bottom up; a folder may import its own folder and
 * anything below it:
 *
 *   domain/                               pure: npm packages only (not graphql), nothing of the hub
 *   connectors/                           + domain/ (no graphql)
 *   resolvers/ workflows/ indicators/     use cases: + connectors/, prisma/ (generated client and prisma/*.ts helpers);
 *                                         workflows/ and indicators/ also use resolvers/' shared context and readers
 *   schema/                               Pothos types: + the use cases
 *   server/                               + schema/, web/; never demo/, departments/, seeds/
 *   web/app/                              the browser application: domain/ and npm packages only
 *
 * Outside the hub: departments/ and seeds/ (the sandbox departments and their data) see domain/, the connectors'
 * published department interfaces, prisma/ and each other. demo/ wires hub, sandbox and seeds together and may import
 * anything; only scripts/, tests/ and bench/ import it. scripts/, tests/ and bench/ may import anything.
 *
 * Run: npm run deps:check
 */

/** For "may import only ..." rules: any module of the project outside the allowed folders (npm packages and node core
 * modules are fine; an unresolvable import is reported once, by not-to-unresolvable). */
const outside = (...allowed) => ({
  pathNot: [...allowed, '^node_modules/'],
  dependencyTypesNot: ['core'],
  couldNotResolve: false,
});
const hubOutside = (...folders) => outside(`^(${folders.join('|')})/`);

/** The connectors' published interfaces, which the sandbox departments implement. */
const connectorInterfaces = ['^connectors/(department-interface|departments)[.]ts$', '^connectors/[^/]+/interface[.]ts$'];

module.exports = {
  forbidden: [
    // ----------------------------------------------------------------------------------------------------- layers
    {
      name: 'domain-is-pure',
      comment: 'domain/ imports nothing of the hub: only npm packages and node core modules.',
      severity: 'error',
      from: { path: '^domain/' },
      to: hubOutside('domain'),
    },
    {
      name: 'no-graphql-below-use-cases',
      comment: 'domain/ and connectors/ know nothing of GraphQL; the schema and the server do.',
      severity: 'error',
      from: { path: '^(domain|connectors)/' },
      to: { path: '^node_modules/graphql/' },
    },
    {
      name: 'connectors-see-domain-only',
      comment: 'connectors/ may import domain/ (and npm packages); never the use cases, schema/, server/ or prisma/.',
      severity: 'error',
      from: { path: '^connectors/' },
      to: hubOutside('connectors', 'domain'),
    },
    {
      name: 'use-cases-see-lower-layers',
      comment: 'resolvers/ may import domain/, connectors/, prisma/ and its own folder; never schema/ or server/.',
      severity: 'error',
      from: { path: '^resolvers/' },
      to: hubOutside('resolvers', 'domain', 'connectors', 'prisma'),
    },
    {
      name: 'workflows-and-indicators-see-use-case-core',
      comment:
        'workflows/ and indicators/ may also import resolvers/ (the use-case context and department readers), never each other, schema/ or server/.',
      severity: 'error',
      from: { path: '^(workflows|indicators)/' },
      to: outside('^$1/', '^(domain|connectors|prisma|resolvers)/'),
    },
    {
      name: 'schema-sees-lower-layers',
      comment: 'schema/ (the Pothos types) may import the use cases and the layers below them; never server/.',
      severity: 'error',
      from: { path: '^schema/' },
      to: hubOutside('schema', 'resolvers', 'workflows', 'indicators', 'connectors', 'domain', 'prisma'),
    },
    {
      name: 'server-sees-the-hub',
      comment: 'server/ may import the whole hub and web/; never demo/, departments/, seeds/ (or scripts/, tests/, bench/).',
      severity: 'error',
      from: { path: '^server/' },
      to: hubOutside('server', 'web', 'schema', 'resolvers', 'workflows', 'indicators', 'connectors', 'domain', 'prisma'),
    },
    {
      name: 'prisma-helpers-see-domain-only',
      comment: 'prisma/*.ts (client construction, helpers) sits beside domain/: the generated client, domain/, npm packages.',
      severity: 'error',
      from: { path: '^prisma/', pathNot: '^prisma/generated/' },
      to: hubOutside('prisma', 'domain'),
    },

    // --------------------------------------------------------------------------------------- outside the hub
    {
      name: 'departments-and-seeds-see-published-interfaces',
      comment:
        "departments/ and seeds/ may import domain/, the connectors' department interfaces (connectors/*/interface.ts, " +
        'connectors/department-interface.ts, connectors/departments.ts), prisma/ and each other; never resolvers/, schema/, server/.',
      severity: 'error',
      from: { path: '^(departments|seeds)/' },
      to: outside('^(departments|seeds|domain|prisma)/', ...connectorInterfaces),
    },
    {
      name: 'only-entry-points-import-demo',
      comment: 'demo/ wires hub, sandbox and seeds together; only scripts/, tests/ and bench/ (and demo/ itself) import it.',
      severity: 'error',
      from: { pathNot: '^(demo|scripts|tests|bench)/' },
      to: { path: '^demo/' },
    },
    {
      name: 'web-app-sees-domain-only',
      comment:
        'The browser application (web/app/) reaches the hub over HTTP only: it may import domain/ (pure rules, e.g. the citizen-ID check) and npm packages.',
      severity: 'error',
      from: { path: '^web/app/' },
      to: hubOutside('web/app', 'domain'),
    },
    {
      name: 'only-server-imports-web',
      comment: 'web/ holds the explorer page the server serves; nothing else imports it.',
      severity: 'error',
      from: { pathNot: '^(web|server)/' },
      to: { path: '^web/' },
    },

    // ------------------------------------------------------------------------------------------------- cycles
    {
      name: 'no-circular-in-lower-layers',
      comment: 'domain/ and connectors/ have no import cycles.',
      severity: 'error',
      from: { path: '^(domain|connectors)/' },
      to: { circular: true },
    },
    {
      name: 'no-circular',
      comment: 'Import cycles elsewhere: a warning for now.',
      severity: 'warn',
      from: { pathNot: '^(domain|connectors)/' },
      to: { circular: true },
    },

    // ---------------------------------------------------------------------------------------------- packages
    {
      name: 'not-to-unresolvable',
      comment: 'Every import resolves (a typo, or a package missing from package.json).',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-non-package-json',
      comment: "Every npm package imported is named in package.json (not only present as someone else's dependency).",
      severity: 'error',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'no-deprecated-core',
      comment: 'No deprecated node core modules.',
      severity: 'warn',
      from: {},
      to: { dependencyTypes: ['core'], path: '^(punycode|domain|constants|sys|_linklist|_stream_wrap)$' },
    },
  ],
  options: {
    // Generated code is imported (and checked as a target), but its own imports are no concern of these rules.
    doNotFollow: { path: '^(node_modules|prisma/generated|tests/generated)/' },
    // bench/peer/ is the benchmark peer (PostGraphile): its own package with its own install, none of the hub's modules.
    exclude: { path: '^(\\.data|coverage|bench/peer)/' },
    // Type-only imports count: a layer that names another layer's types depends on it.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
  },
};
