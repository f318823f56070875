/**
 * The process's shutdown, as the parts that must react to it see it. `begin` (on SIGTERM) starts the drain:
 * `/ready` answers 503 so that the load balancer takes the instance out, while requests are still served (each
 * answered with `Connection: close`, so that the balancer's kept-alive connections end before the listener
 * closes). `signal` is aborted at the same moment: the reconciler stops claiming and hands back what it claimed,
 * and anything that waits on behalf of a request (a look-up that waits for a callback) answers now instead.
 */
export class Shutdown {
  private readonly controller = new AbortController();

  /** True from `begin` on. */
  get draining(): boolean {
    return this.controller.signal.aborted;
  }

  /** Aborted when the shutdown begins. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  begin(): void {
    if (!this.controller.signal.aborted) {
      this.controller.abort(new Error("the server is shutting down"));
    }
  }
}
