/**
 * Waits, on behalf of a request, for something another instance may bring about (a callback landing anywhere),
 * by asking `check` again and again. It gives up, answering null, when its deadline passes, when the process
 * begins to shut down, or at once when too many requests already wait (so that waiting requests cannot pile up
 * without bound). `check` is asked at least once, unless too many wait or the shutdown has begun.
 */
export interface ResultWaiter {
  waitFor<T>(check: () => Promise<T | null>): Promise<T | null>;
}
