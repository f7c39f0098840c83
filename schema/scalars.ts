import { GraphQLError, Kind } from 'graphql';
import { builder } from './builder';

function parseDateTime(value: unknown): Date {
  const date = typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value) ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) {
    throw new GraphQLError('DateTime must be an ISO 8601 date-time with offset, e.g. 2026-11-23T08:00:00Z', {
      extensions: { code: 'BAD_USER_INPUT', reason: 'MALFORMED_DATETIME' },
    });
  }
  return date;
}

builder.scalarType('DateTime', {
  description: '时间 A point in time, ISO 8601 with offset (e.g. 2026-11-23T08:00:00.000Z)',
  serialize: (value) => (value instanceof Date ? value.toISOString() : new Date(value).toISOString()),
  parseValue: parseDateTime,
  parseLiteral: (ast) => parseDateTime(ast.kind === Kind.STRING ? ast.value : undefined),
});

function parseDate(value: unknown): string {
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const date = new Date(`${value}T00:00:00Z`);
    if (!Number.isNaN(date.getTime()) && date.toISOString().startsWith(value)) return value;
  }
  throw new GraphQLError('Date must be a calendar date YYYY-MM-DD, e.g. 2022-12-31', {
    extensions: { code: 'BAD_USER_INPUT', reason: 'MALFORMED_DATE' },
  });
}

builder.scalarType('Date', {
  description: '日期 A calendar date, YYYY-MM-DD (e.g. 2022-12-31)',
  serialize: (value) => value,
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : undefined),
});
