/**
 * What every page shares: the signed-in session, what the catalogue lets this consumer see (fields masked or
 * refused under its purpose, from `sharingCatalog { refusal fields { coordinate mask } }`), and a hook that runs
 * a query with loading and error states.
 */
import { createContext, useCallback, useContext, useEffect, useRef, useState } from 'react';
import { graphql, RequestFailed, requestError, type GraphQLErrorItem, type GraphQLResult } from './graphql';
import type { Session } from './session';

export interface CatalogueRestriction {
  item: string;
  name: string;
  nameEn: string;
  refusal: string;
  /** Schema coordinates of the item's fields and how each is shown: masked, or refused (null). */
  fields: Array<{ coordinate: string; mask: string | null }>;
}

export interface Hub {
  session: Session;
  restrictions: CatalogueRestriction[] | null;
  /** How a field is shown to this consumer: `masked`, `refused` or `readable`. */
  visibility: (coordinate: string) => 'masked' | 'refused' | 'readable';
  signOut: () => void;
}

export const HubContext = createContext<Hub | null>(null);

export function useHub(): Hub {
  const hub = useContext(HubContext);
  if (!hub) throw new Error('useHub outside the signed-in shell');
  return hub;
}

export const CATALOGUE_QUERY = `query PageCatalogue { sharingCatalog { code name nameEn refusal fields { coordinate mask } } }`;

export interface CatalogueAnswer {
  sharingCatalog: Array<{
    code: string;
    name: string;
    nameEn: string;
    refusal: string | null;
    fields: Array<{ coordinate: string; mask: string | null }>;
  }> | null;
}

export function restrictionsOf(answer: CatalogueAnswer | null): CatalogueRestriction[] | null {
  if (!answer?.sharingCatalog) return null;
  return answer.sharingCatalog
    .filter((item) => item.refusal !== null)
    .map((item) => ({ item: item.code, name: item.name, nameEn: item.nameEn, refusal: item.refusal!, fields: item.fields }));
}

export interface QueryState<T> {
  loading: boolean;
  result: GraphQLResult<T> | null;
  /** A failure of the whole request (network, time limit, a refused request): nothing to show. */
  failure: GraphQLErrorItem | null;
  reload: () => void;
}

/** Runs `query` whenever `key` changes (an earlier run still in flight is aborted). */
export function useQuery<T>(query: string, variables: Record<string, unknown>, key: string, enabled = true): QueryState<T> {
  const { session } = useHub();
  const [state, setState] = useState<{ loading: boolean; result: GraphQLResult<T> | null; failure: GraphQLErrorItem | null }>({
    loading: enabled,
    result: null,
    failure: null,
  });
  const [round, setRound] = useState(0);
  const variablesRef = useRef(variables);
  variablesRef.current = variables;
  useEffect(() => {
    if (!enabled) return;
    const abort = new AbortController();
    setState((previous) => ({ ...previous, loading: true }));
    graphql<T>(session, query, variablesRef.current, { signal: abort.signal })
      .then((result) => {
        const whole = requestError(result);
        setState({ loading: false, result, failure: result.data === null ? whole : null });
      })
      .catch((error: unknown) => {
        if (abort.signal.aborted) return;
        const failure =
          error instanceof RequestFailed
            ? { message: error.message, extensions: { code: error.code } }
            : { message: String(error) };
        setState({ loading: false, result: null, failure });
      });
    return () => abort.abort();
  }, [session, query, key, round, enabled]);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { ...state, reload };
}
