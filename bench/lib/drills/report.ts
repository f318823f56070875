/** What a drill found: the figures it printed, and the correctness checks that decide whether it passed. */

export type Check = { readonly name: string; readonly ok: boolean; readonly detail: string };

export type DrillReport = {
  readonly drill: string;
  /** One line: what the drill did. */
  readonly what: string;
  /** Payments whose outcome was delivered (and answered) but did not end as delivered; null where no money moves. */
  readonly lost: number | null;
  /** Payments applied more than once: extra ledger entries, units sold twice; null where no money moves. */
  readonly doubled: number | null;
  readonly checks: readonly Check[];
};

export function check(name: string, ok: boolean, detail = ""): Check {
  return { name, ok, detail };
}

export function passed(report: DrillReport): boolean {
  return (report.lost ?? 0) === 0 && (report.doubled ?? 0) === 0 && report.checks.every((c) => c.ok);
}

/** A drill that could not finish (its set-up or its load failed): it counts as failed, with the reason. */
export function brokenReport(drill: string, what: string, error: unknown): DrillReport {
  const message = error instanceof Error ? error.message : String(error);
  return {
    drill,
    what,
    lost: Number.NaN,
    doubled: Number.NaN,
    checks: [check("finished", false, message.split("\n")[0] ?? "")],
  };
}

/** Prints a line of progress, prefixed with the drill's name. */
export function say(drill: string, line: string): void {
  console.log(`[${drill}] ${line}`);
}

/** The summary table printed at the end of `npm run drill`. */
export function summaryTable(reports: readonly DrillReport[]): string {
  const rows = reports.map((r) => [
    r.drill,
    r.what,
    String(r.lost ?? "-"),
    String(r.doubled ?? "-"),
    r.checks
      .map((c) => `${c.ok ? "ok" : "FAIL"} ${c.name}${c.ok || c.detail === "" ? "" : ` (${c.detail})`}`)
      .join("; "),
    passed(r) ? "PASS" : "FAIL",
  ]);
  const header = ["drill", "what", "lost", "doubled", "other checks", "pass"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}
