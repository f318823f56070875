/** A callback URL carries the payment's secret token as its last path segment: keep the rest only. */
export function redactCallbackUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const segments = parsed.pathname.split("/");
    segments[segments.length - 1] = "[redacted]";
    return `${parsed.origin}${segments.join("/")}`;
  } catch {
    return "(not a URL)";
  }
}
