/**
 * A set of listeners for one kind of event: what a service hands out as `subscribe` and calls with
 * `emit`. One listener that throws does not keep the others from hearing the event.
 */
export interface Listeners<T> {
  /** Adds a listener; the returned function removes it again. */
  subscribe(listener: (event: T) => void): () => void;
  emit(event: T): void;
}

export function createListeners<T>(onError: (error: unknown) => void = () => {}): Listeners<T> {
  const listeners = new Set<(event: T) => void>();
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(event) {
      for (const listener of [...listeners]) {
        try {
          listener(event);
        } catch (error) {
          onError(error);
        }
      }
    },
  };
}
