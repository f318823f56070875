import { simulatorIds } from "./simulator-ids.ts";

/** A Daraja error envelope: the HTTP status, and the errorCode and errorMessage of its body. */
export type DarajaEnvelope = {
  readonly status: number;
  readonly errorCode: string;
  readonly errorMessage: string;
};

function json(body: unknown, status: number): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json;charset=UTF-8" },
  });
}

function envelope(e: DarajaEnvelope, requestId = simulatorIds.requestId()): Response {
  return json({ requestId, errorCode: e.errorCode, errorMessage: e.errorMessage }, e.status);
}

/** The answers every Daraja API gives alike, with Daraja's headers and envelope. */
export const darajaAnswers = {
  json,
  envelope,
  /** "Bad Request - Invalid <Field>": the first field Daraja could not accept. */
  badRequest(field: string): Response {
    return envelope({ status: 400, errorCode: "400.002.02", errorMessage: `Bad Request - Invalid ${field}` });
  },
  invalidPayload(): Response {
    return envelope({ status: 400, errorCode: "400.002.05", errorMessage: "Invalid Request Payload" });
  },
  wrongCredentials(): Response {
    return envelope({ status: 500, errorCode: "500.001.1001", errorMessage: "Wrong credentials" });
  },
  methodNotAllowed(): Response {
    return envelope({ status: 405, errorCode: "405.001", errorMessage: "Method Not Allowed" });
  },
  notFound(): Response {
    return envelope({ status: 404, errorCode: "404.001.01", errorMessage: "Resource not found" });
  },
  internalError(): Response {
    return envelope({ status: 500, errorCode: "500.003.1001", errorMessage: "Internal Server Error" });
  },
};
