/** How long the reconciler waits before asking Daraja about a payment again: doubling, up to an hour. */
export function nextCheckDelaySeconds(attemptsSoFar: number, firstDelaySeconds: number): number {
  return Math.min(firstDelaySeconds * 2 ** Math.min(attemptsSoFar, 20), 3600);
}
