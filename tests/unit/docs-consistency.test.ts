import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const DOCUMENTS = [
  "README.md",
  ...readdirSync("docs")
    .filter((name) => name.endsWith(".md"))
    .map((name) => join("docs", name)),
];

const SCRIPTS = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> })
  .scripts;

/**
 * The route tables of the README and docs: for each `METHOD /path` row, what its last column (the success)
 * starts with, the first code span, such as "202 { endpointIds }".
 */
function documentedSuccesses(): Map<string, { document: string; success: string }[]> {
  const routes = new Map<string, { document: string; success: string }[]>();
  for (const document of DOCUMENTS) {
    for (const line of readFileSync(document, "utf8").split("\n")) {
      const row = /^\|\s*`((?:GET|POST|PUT|PATCH|DELETE) [^|]*)\|.*\|\s*`([^`]+)`[^|]*\|\s*$/.exec(line);
      if (row === null) {
        continue;
      }
      for (const route of (row[1] ?? "").split(/`,\s*`|`/).filter((part) => /^[A-Z]+ \//.test(part))) {
        const key = route.replace(/\?.*$/, "").trim();
        routes.set(key, [
          ...(routes.get(key) ?? []),
          { document, success: (row[2] ?? "").replace(/\s+/g, " ") },
        ]);
      }
    }
  }
  return routes;
}

describe("the README and docs agree with each other and with package.json", () => {
  it("show the same status and body for a route wherever its table row appears", () => {
    const routes = documentedSuccesses();
    expect(routes.get("POST /api/events/:id/redeliver")?.map((row) => row.success)).toContain(
      "202 { endpointIds }",
    );
    const disagreeing = [...routes].filter(([, rows]) => new Set(rows.map((row) => row.success)).size > 1);
    expect(disagreeing).toEqual([]);
  });

  it("name only scripts package.json has, and every script but the two everybody knows", () => {
    const text = DOCUMENTS.map((document) => readFileSync(document, "utf8")).join("\n");
    const named = new Set(
      [...text.matchAll(/npm run(?: -s)? ([a-z][a-z:._-]*)/g)].map((match) => match[1] ?? ""),
    );
    expect([...named].filter((name) => !(name in SCRIPTS))).toEqual([]);
    expect(
      Object.keys(SCRIPTS).filter((name) => !["start", "test"].includes(name) && !named.has(name)),
    ).toEqual([]);
  });

  it("have one command that writes a migration (migration:new), not two", () => {
    const writers = Object.entries(SCRIPTS).filter(
      ([, body]) => body.includes("migration:create") || body.includes("new-migration"),
    );
    expect(writers.map(([name]) => name)).toEqual(["migration:new"]);
  });
});
