/** Where Daraja posts a business's C2B notifications and its checks' status results, under MPESA_CALLBACK_URL's origin. */
export const C2B_CONFIRMATION_PATH = "/hooks/c2b/confirmation";
export const C2B_VALIDATION_PATH = "/hooks/c2b/validation";
export const C2B_STATUS_RESULT_PATH = "/hooks/c2b/status/result";
export const C2B_STATUS_TIMEOUT_PATH = "/hooks/c2b/status/timeout";

/** The URL on the origin of `callbackUrl` at `path`, with `token` as its last segment. */
export const c2bUrl = (callbackUrl: string, path: string, token: string): string =>
  `${new URL(callbackUrl).origin}${path}/${token}`;
