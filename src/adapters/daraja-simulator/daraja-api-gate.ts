import type { Context } from "hono";
import type { Clock } from "../../application/ports/clock.ts";
import { type DarajaEnvelope, darajaAnswers } from "./daraja-answers.ts";
import type { SimulatorApi, SimulatorFault } from "./daraja-simulator.ts";
import type { SimulatorFaults } from "./simulator-faults.ts";
import type { SimulatorState } from "./simulator-state.ts";
import { sleep } from "./sleep.ts";

/** What the gate needs to know of an M-Pesa API (every Daraja API but OAuth), as Daraja answers for it. */
export type DarajaApi = {
  readonly name: Exclude<SimulatorApi, "oauth">;
  /** Daraja's answer to a missing, unknown or expired token differs by API. */
  readonly invalidToken: DarajaEnvelope;
  /** The field Daraja names when the body is not JSON-typed: the first it cannot read. */
  readonly firstField: string;
};

/** A route's own work, on a JSON object body; it sees the request's fault for what it says about callbacks. */
export type DarajaApiHandler = (
  body: Record<string, unknown>,
  fault: SimulatorFault | null,
) => Promise<Response> | Response;

/**
 * What every M-Pesa API does before and after its own work, in Daraja's order: it counts the request, takes any
 * fault waiting for the API, checks the bearer token and reads the JSON body. How a fault changes the request:
 * - `error` alone: after `delayMs`, that envelope, and the route's work never runs;
 * - otherwise the work runs, then `delayMs` passes, then the answer is the `error` envelope (with
 *   `afterProcessing`), the `rawBody`, or the route's own answer.
 */
export class DarajaApiGate {
  constructor(
    private readonly state: SimulatorState,
    private readonly faults: SimulatorFaults,
    private readonly clock: Clock,
  ) {}

  handler(api: DarajaApi, work: DarajaApiHandler): (c: Context) => Promise<Response> {
    return async (c) => {
      this.state.countRequest(api.name);
      const fault = this.faults.take(api.name);
      if (fault?.error !== undefined && fault.afterProcessing !== true) {
        await sleep(fault.delayMs ?? 0);
        return darajaAnswers.envelope(fault.error);
      }
      const response = await this.authorisedJson(c, api, (body) => work(body, fault));
      await sleep(fault?.delayMs ?? 0);
      if (fault?.error !== undefined) {
        // Acted on, then answered as if it had failed: the caller cannot tell what happened.
        return darajaAnswers.envelope(fault.error);
      }
      if (fault?.rawBody !== undefined) {
        return new Response(fault.rawBody.body, {
          status: fault.rawBody.status,
          headers: { "content-type": fault.rawBody.contentType ?? "text/html" },
        });
      }
      return response;
    };
  }

  private async authorisedJson(
    c: Context,
    api: DarajaApi,
    work: (body: Record<string, unknown>) => Promise<Response> | Response,
  ): Promise<Response> {
    const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header("authorization") ?? "")?.[1];
    const consumerKey = this.state.tokenHolder(bearer, this.clock.now());
    if (consumerKey === null) {
      return darajaAnswers.envelope(api.invalidToken);
    }
    this.state.countAuthorisedRequest(consumerKey);
    if (!(c.req.header("content-type") ?? "").toLowerCase().includes("application/json")) {
      return darajaAnswers.badRequest(api.firstField);
    }
    let body: unknown;
    try {
      body = JSON.parse(await c.req.text());
    } catch {
      return darajaAnswers.invalidPayload();
    }
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      return darajaAnswers.invalidPayload();
    }
    return work(body as Record<string, unknown>);
  }
}
