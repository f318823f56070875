/** One line of a bench or drill table; `met` is absent for a row without a target. */
export type Row = {
  readonly row: string;
  readonly figures: string;
  readonly target?: string;
  readonly met?: boolean;
};

/** The rows as a Markdown table, so that it can be pasted into the README as it stands. */
export function printTable(rows: readonly Row[]): void {
  const lines = [
    "| Row | Figures | Target | Met |",
    "|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${r.row} | ${r.figures} | ${r.target ?? "—"} | ${r.met === undefined ? "—" : r.met ? "yes" : "no"} |`,
    ),
  ];
  console.log(lines.join("\n"));
}
