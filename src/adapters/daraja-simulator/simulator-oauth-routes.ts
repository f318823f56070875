import { Hono } from "hono";
import type { Clock } from "../../application/ports/clock.ts";
import { darajaAnswers } from "./daraja-answers.ts";
import { safeEqual } from "./safe-equal.ts";
import type { SimulatorFaults } from "./simulator-faults.ts";
import type { SimulatorState } from "./simulator-state.ts";
import { sleep } from "./sleep.ts";

const PATH = "/oauth/v1/generate";

/**
 * OAuth (`GET /oauth/v1/generate?grant_type=client_credentials` with Basic credentials): a token that expires
 * after the token life, for any consumer key and secret, or only for `requiredApp`'s when set. A fault answers
 * after its delay with its error envelope or raw body, and issues no token.
 */
export function simulatorOAuthRoutes(deps: {
  readonly state: SimulatorState;
  readonly faults: SimulatorFaults;
  readonly clock: Clock;
  readonly requiredApp: { readonly key: string; readonly secret: string } | null;
}): Hono {
  const { state, faults, clock, requiredApp } = deps;
  const routes = new Hono();

  routes.get(PATH, async (c) => {
    state.countRequest("oauth");
    const fault = faults.take("oauth");
    const credentials = basicCredentials(c.req.header("authorization"));
    if (credentials !== null) {
      state.countTokenRequest(credentials.key);
    }
    await sleep(fault?.delayMs ?? 0);
    if (fault?.error !== undefined) {
      return darajaAnswers.envelope(fault.error);
    }
    if (fault?.rawBody !== undefined) {
      return new Response(fault.rawBody.body, { status: fault.rawBody.status });
    }
    if (c.req.query("grant_type") !== "client_credentials") {
      return darajaAnswers.envelope({
        status: 400,
        errorCode: "400.008.02",
        errorMessage: "Invalid grant type passed",
      });
    }
    const accepted =
      credentials !== null &&
      credentials.key !== "" &&
      credentials.secret !== "" &&
      (requiredApp === null ||
        (safeEqual(credentials.key, requiredApp.key) && safeEqual(credentials.secret, requiredApp.secret)));
    if (!accepted || credentials === null) {
      return darajaAnswers.envelope({
        status: 400,
        errorCode: "400.008.01",
        errorMessage: "Invalid Authentication passed",
      });
    }
    const accessToken = state.issueToken(credentials.key, clock.now());
    // Daraja's live answer: a string, one second short of the token's life.
    return darajaAnswers.json(
      { access_token: accessToken, expires_in: String(Math.max(state.tokenTtlSeconds - 1, 0)) },
      200,
    );
  });
  routes.all(PATH, () => darajaAnswers.methodNotAllowed());

  return routes;
}

function basicCredentials(header: string | undefined): { key: string; secret: string } | null {
  const encoded = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header ?? "")?.[1];
  if (encoded === undefined) {
    return null;
  }
  const decoded = Buffer.from(encoded, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 ? null : { key: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}
