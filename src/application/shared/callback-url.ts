/** A payment's own CallBackURL: the receiver's public URL with the payment's secret token as the last segment. */
export function callbackUrlFor(receiverUrl: string, token: string): string {
  return `${receiverUrl.replace(/\/+$/, "")}/${token}`;
}
