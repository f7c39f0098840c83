import { ERROR_CODES } from '../domain/errors';
import { builder } from './builder';

// Published so that clients can generate exhaustive handling of `errors[].extensions.code`; no field returns it.
builder.enumType('ErrorCode', {
  description: '错误代码 The closed set of values of `errors[].extensions.code` in every response of this hub',
  values: Object.fromEntries(Object.entries(ERROR_CODES).map(([code, description]) => [code, { description }])) as Record<
    keyof typeof ERROR_CODES,
    { description: string }
  >,
});
