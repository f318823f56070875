/**
 * Runs `task` for every item, at most `concurrency` at a time, and returns the results in the items' order.
 * A task that throws fails the whole run, after the tasks already started have finished.
 */
export async function inPool<T, R>(
  items: readonly T[],
  concurrency: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/**
 * Posts a raw callback body to a callback URL, as Safaricom does. The answer's status, or null when none came
 * (the connection was refused or cut: the server is down or was killed mid-request).
 */
export async function deliverCallback(url: string, body: string): Promise<number | null> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body,
    });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return null;
  }
}
