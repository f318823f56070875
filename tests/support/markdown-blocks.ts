/** One fenced code block of a Markdown file: its info string (```sh server → ["sh", "server"]) and its text. */
export type FencedBlock = { readonly info: readonly string[]; readonly code: string };

/** The fenced code blocks of a Markdown document, in order. */
export function fencedBlocks(markdown: string): FencedBlock[] {
  return [...markdown.matchAll(/^```([^\n]*)\n([\s\S]*?)^```$/gm)].map((match) => ({
    info: (match[1] ?? "").trim().split(/\s+/).filter(Boolean),
    code: match[2] ?? "",
  }));
}
