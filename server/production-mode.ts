/**
 * Imported first by every entry that serves the hub (server/main.ts, demo/main.ts): graphql-js reads NODE_ENV
 * once, when it loads, and outside production it checks every `instanceof` across realms (measured 7 % of a
 * list query's CPU, issue 13). An operator's explicit NODE_ENV stands; jest sets `test` and keeps its own mode.
 * Nothing in the hub reads NODE_ENV: the hub's own mode is HUB_ENV, and every Apollo option NODE_ENV would
 * change a default of (introspection, stack traces, landing page, signal handlers) is set explicitly in app.ts.
 */
process.env.NODE_ENV ??= 'production';

export {};
