/**
 * Paging of every list the hub serves: forward only (first/after), `first` from 1 to MAX_PAGE, DEFAULT_PAGE when
 * not given. Bad arguments are BAD_USER_INPUT naming the argument.
 */
import { BadUserInputError } from './errors';

export const DEFAULT_PAGE = 20;
export const MAX_PAGE = 200;

export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

export function pageSize(args: PageArgs): number {
  if (args.last != null || args.before != null) {
    throw new BadUserInputError('Only forward paging (first/after) is supported 仅支持向后分页', {
      field: args.last != null ? 'last' : 'before',
      reason: 'BACKWARD_PAGING_UNSUPPORTED',
    });
  }
  const first = args.first ?? DEFAULT_PAGE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) {
    throw new BadUserInputError(`first must be between 1 and ${MAX_PAGE} 每页条数应在1到${MAX_PAGE}之间`, {
      field: 'first',
      reason: first > MAX_PAGE ? 'PAGE_TOO_LARGE' : 'PAGE_TOO_SMALL',
    });
  }
  return first;
}
