import * as v from "valibot";

/**
 * One line saying where a Daraja payload breaks its schema, e.g.
 * `Body.stkCallback.CheckoutRequestID: Invalid type: Expected string but received undefined`.
 * For a union, the deepest issue among its options is the most telling.
 */
export function describeIssue(issues: readonly v.BaseIssue<unknown>[]): string {
  const deepest = deepestIssue(issues);
  if (deepest === null) {
    return "it does not have the expected shape";
  }
  const path = v.getDotPath(deepest);
  return path === null ? deepest.message : `${path}: ${deepest.message}`;
}

/** The dotted path of the field `describeIssue` names (`Body.stkCallback.CheckoutRequestID`), if any. */
export function issuePath(issues: readonly v.BaseIssue<unknown>[]): string | null {
  const deepest = deepestIssue(issues);
  return deepest === null ? null : v.getDotPath(deepest);
}

function deepestIssue(issues: readonly v.BaseIssue<unknown>[]): v.BaseIssue<unknown> | null {
  let best: v.BaseIssue<unknown> | null = null;
  for (const issue of issues) {
    const candidate = issue.issues === undefined ? issue : (deepestIssue(issue.issues) ?? issue);
    if (best === null || (candidate.path?.length ?? 0) > (best.path?.length ?? 0)) {
      best = candidate;
    }
  }
  return best;
}

/** The first keys of an object, to show what a payload is when it is not what was expected. */
export function describeKeys(json: object): string {
  const keys = Object.keys(json);
  return keys.length === 0 ? "no keys" : `keys ${keys.slice(0, 6).join(", ")}${keys.length > 6 ? ", …" : ""}`;
}
