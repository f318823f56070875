import type { Duplex } from "node:stream";
import { PROBLEM_CONTENT_TYPE } from "./problem.ts";

const ANSWERS: Readonly<Record<string, { status: number; code: string; title: string; detail: string }>> = {
  HPE_HEADER_OVERFLOW: {
    status: 431,
    code: "headers_too_large",
    title: "Request Header Fields Too Large",
    detail: "The request line and headers are over the server's limit.",
  },
  ERR_HTTP_REQUEST_TIMEOUT: {
    status: 408,
    code: "request_timeout",
    title: "Request Timeout",
    detail: "The request did not arrive in time.",
  },
};

const MALFORMED = {
  status: 400,
  code: "malformed_request",
  title: "Bad Request",
  detail: "The request is not well-formed HTTP.",
};

/**
 * Node's HTTP server answers a request it cannot parse (headers too large, broken HTTP) by itself, before any
 * route, with an empty body. This answers it as every other error is answered: a problem document. For the
 * server's `clientError` event; there is no request object, so the answer is written to the socket.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === "ECONNRESET" || !socket.writable) {
    socket.destroy();
    return;
  }
  const answer = ANSWERS[error.code ?? ""] ?? MALFORMED;
  const body = JSON.stringify({
    type: `/problems/${answer.code}`,
    title: answer.title,
    status: answer.status,
    detail: answer.detail,
    code: answer.code,
  });
  socket.end(
    `HTTP/1.1 ${answer.status} ${answer.title}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
