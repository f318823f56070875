import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { describe, expect, it } from "vitest";

/** Every Markdown file a user of PayMe reads, from a fresh clone. */
const DOCUMENTS = [
  "README.md",
  "SECURITY.md",
  "CHANGELOG.md",
  "clients/typescript/README.md",
  "examples/README.md",
  ...readdirSync("docs")
    .filter((name) => name.endsWith(".md"))
    .map((name) => join("docs", name)),
];

/** The targets of a document's Markdown links and images, outside code blocks. */
function linkTargets(markdown: string): string[] {
  const prose = markdown.replace(/^```[\s\S]*?^```$/gm, "");
  return [...prose.matchAll(/!?\[[^\]]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((match) => match[1] ?? "");
}

describe("the README and docs of a fresh clone", () => {
  it.each(DOCUMENTS)("%s links only to files inside the repository", (document) => {
    const missing = linkTargets(readFileSync(document, "utf8"))
      .filter((target) => !/^[a-z]+:/i.test(target) && !target.startsWith("#"))
      .map((target) => normalize(join(dirname(document), decodeURI(target.split("#")[0] ?? ""))))
      .filter((path) => path.startsWith("..") || !existsSync(path));
    expect(missing).toEqual([]);
  });

  it.each(DOCUMENTS)("%s sends nobody to a file outside the repository", (document) => {
    const text = readFileSync(document, "utf8");
    expect(text).not.toMatch(/\.\.\/shared|CONTRACT\.md|\/work\//);
  });

  it("links every page of docs/ from the README", () => {
    const readme = linkTargets(readFileSync("README.md", "utf8"));
    const pages = readdirSync("docs").filter((name) => name.endsWith(".md"));
    expect(pages.filter((page) => !readme.includes(`docs/${page}`))).toEqual([]);
  });
});
