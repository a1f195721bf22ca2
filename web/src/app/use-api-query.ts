import { useCallback, useEffect, useState } from 'react';
import { api } from './api-client.ts';

export type ApiQuery<T> = {
  data: T | null;
  error: unknown;
  isLoading: boolean;
  reload: () => void;
};

/**
 * Loads `path` with GET and reloads when it changes. The previous data stays visible while the
 * next page loads, so tables do not jump; a stale answer is dropped by aborting its request.
 */
export function useApiQuery<T>(path: string | null): ApiQuery<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [isLoading, setIsLoading] = useState(path !== null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    if (path === null) {
      return;
    }
    // `version` is read so that reload() reruns the effect.
    void version;
    const controller = new AbortController();
    setIsLoading(true);
    setError(null);
    api
      .get<T>(path, controller.signal)
      .then((result) => {
        setData(result);
        setIsLoading(false);
      })
      .catch((caught: unknown) => {
        if (controller.signal.aborted) {
          return;
        }
        setError(caught);
        setIsLoading(false);
      });
    return () => controller.abort();
  }, [path, version]);

  const reload = useCallback(() => setVersion((current) => current + 1), []);

  return { data, error, isLoading, reload };
}
