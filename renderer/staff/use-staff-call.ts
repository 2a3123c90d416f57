import { useCallback, useEffect, useState } from 'preact/hooks';
import type { MethodName, ParamsOf, ResultOf } from '../../electron/api/contract';
import type { KioskClient } from '../api/kiosk-client';

/** Loads one staff call's result, with a reload for after actions; an error is shown, not thrown. */
export function useStaffCall<M extends MethodName>(
  client: KioskClient,
  method: M,
  params: ParamsOf<M>,
  key = '',
): { data: ResultOf<M> | null; failed: boolean; reload: () => void } {
  const [data, setData] = useState<ResultOf<M> | null>(null);
  const [failed, setFailed] = useState(false);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let alive = true;
    client.call(method, params).then(
      (result) => {
        if (!alive) return;
        setData(result);
        setFailed(false);
      },
      () => alive && setFailed(true),
    );
    return () => {
      alive = false;
    };
    // params are rebuilt every render; `key` says when they really changed.
  }, [client, method, key, generation]);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { data, failed, reload };
}
