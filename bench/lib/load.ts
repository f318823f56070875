import autocannon from "autocannon";

/** One load run's figures: answers with the expected status per second, and their latency. */
export type LoadFigures = {
  /** Requests answered with the expected status. */
  readonly ok: number;
  /** Every other answer or connection error, by status ("error" for none). */
  readonly unexpected: Readonly<Record<string, number>>;
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** The server's CPU time per expected answer, when the run was told how to read it. */
  readonly cpuMsEach: number | null;
};

export type LoadRequest = {
  readonly method: "GET" | "POST";
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
};

/**
 * Drives `baseUrl` with autocannon over `connections` keep-alive connections, for `seconds` or, with `next`,
 * until `next` runs out: each call of `next` gives the following request (a distinct callback, say).
 */
export async function load(options: {
  readonly baseUrl: string;
  readonly connections: number;
  readonly expectStatus: number;
  readonly request?: LoadRequest;
  readonly next?: () => LoadRequest | null;
  readonly seconds?: number;
  readonly amount?: number;
  readonly onBody?: (body: string) => void;
  /** Reads the server's CPU seconds so far (see cpuSecondsOf). */
  readonly cpuSeconds?: () => number;
}): Promise<LoadFigures> {
  const unexpected: Record<string, number> = {};
  let ok = 0;
  let lastAnswerAt = 0;
  const onResponse = (status: number, body: string) => {
    lastAnswerAt = performance.now();
    if (status === options.expectStatus) {
      ok += 1;
      options.onBody?.(body);
    } else {
      unexpected[String(status)] = (unexpected[String(status)] ?? 0) + 1;
    }
  };
  const first = options.request ?? { method: "GET", path: "/" };
  const started = performance.now();
  const cpuBefore = options.cpuSeconds?.() ?? 0;
  const result = await autocannon({
    url: options.baseUrl,
    connections: options.connections,
    ...(options.amount === undefined ? { duration: options.seconds ?? 8 } : { amount: options.amount }),
    timeout: 30,
    requests: [
      {
        method: first.method,
        path: first.path,
        headers: { "content-type": "application/json", ...first.headers },
        ...(first.body === undefined ? {} : { body: first.body }),
        ...(options.next === undefined
          ? {}
          : {
              setupRequest: (request) => {
                const next = options.next?.();
                if (next === null || next === undefined) {
                  // Nothing left: a harmless request keeps the connection busy until `amount` is reached.
                  return { ...request, method: "GET", path: "/health", body: undefined };
                }
                return {
                  ...request,
                  method: next.method,
                  path: next.path,
                  headers: { ...request.headers, ...next.headers },
                  body: next.body,
                };
              },
            }),
        onResponse,
      },
    ],
  });
  // autocannon ends an `amount` run on its next one-second tick: the run lasted until its last answer.
  const seconds = options.amount === undefined ? result.duration : (lastAnswerAt - started) / 1000;
  const cpuMsEach =
    options.cpuSeconds === undefined ? null : ((options.cpuSeconds() - cpuBefore) * 1000) / Math.max(ok, 1);
  if (result.errors > 0) {
    unexpected.error = result.errors;
  }
  return {
    ok,
    unexpected,
    seconds,
    perSecond: ok / seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    cpuMsEach,
  };
}
