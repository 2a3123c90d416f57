import { useCallback, useEffect, useState } from 'preact/hooks';
import type { MethodName, ParamsOf, ResultOf } from '../../electron/api/contract';
import type { CallFailure, KioskClient } from '../api/kiosk-client';

/** A staff screen's data: still loading, loaded, or the failure the call answered with. */
export type Loaded<M extends MethodName> =
  | { readonly status: 'loading' }
  | { readonly status: 'loaded'; readonly data: ResultOf<M> }
  | { readonly status: 'failed'; readonly failure: CallFailure<M> };

/** Loads one staff call's result, with a reload for after actions. */
export function useStaffCall<M extends MethodName>(
  client: KioskClient,
  method: M,
  params: ParamsOf<M>,
  key = '',
): { loaded: Loaded<M>; reload: () => void } {
  const [loaded, setLoaded] = useState<Loaded<M>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let alive = true;
    void client.call(method, params).then((answer) => {
      if (!alive) return;
      setLoaded(answer.ok ? { status: 'loaded', data: answer.value } : { status: 'failed', failure: answer.error });
    });
    return () => {
      alive = false;
    };
    // params are rebuilt every render; `key` says when they really changed.
  }, [client, method, key, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { loaded, reload };
}
