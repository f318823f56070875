/**
 * One line of the bench's table; `met` is absent for a row without a target, and holds one verdict per part for
 * a target of several parts (joined by " · " in `target`).
 */
export type Row = {
  readonly row: string;
  readonly figures: string;
  readonly target?: string;
  readonly met?: boolean | readonly boolean[];
};

const verdict = (met: Row["met"]): string =>
  met === undefined ? "—" : typeof met === "boolean" ? (met ? "yes" : "no") : met.map(verdict).join(" · ");

/** The rows as a Markdown table, so that it can be pasted into the README as it stands. */
export function printTable(rows: readonly Row[]): void {
  const lines = [
    "| Row | Figures | Target | Met |",
    "|---|---|---|---|",
    ...rows.map((r) => `| ${r.row} | ${r.figures} | ${r.target ?? "—"} | ${verdict(r.met)} |`),
  ];
  console.log(lines.join("\n"));
}
