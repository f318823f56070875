import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/main/config.ts";

/** Variables the config still reads only to refuse them, naming their replacement: they must not be suggested. */
const RETIRED = ["AUTH_RATE_LIMIT_PER_EMAIL"];

/** Every variable name `loadConfig` reads, recorded by an environment that answers nothing. */
function variablesTheConfigReads(): string[] {
  const seen = new Set<string>();
  const env = new Proxy({} as Record<string, string | undefined>, {
    get(_target, name) {
      if (typeof name === "string") {
        seen.add(name);
      }
      return undefined;
    },
  });
  const loaded = loadConfig(env);
  expect(loaded.ok).toBe(true);
  return [...seen].sort();
}

const example = readFileSync(".env.example", "utf8");

/** `NAME=value` lines, commented out or not. */
const exampleEntries = new Map(
  [...example.matchAll(/^#?\s?([A-Z][A-Z0-9_]+)=(.*)$/gm)].map((match) => [match[1] ?? "", match[2] ?? ""]),
);

describe(".env.example", () => {
  it("lists every variable the config module reads, and nothing else", () => {
    const read = variablesTheConfigReads().filter((name) => !RETIRED.includes(name));
    expect([...exampleEntries.keys()].sort()).toEqual(read);
  });

  it("gives each variable a line of meaning above it", () => {
    const lines = example.split("\n");
    lines.forEach((line, index) => {
      if (/^#?\s?[A-Z][A-Z0-9_]+=/.test(line)) {
        const above = lines.slice(0, index).reverse();
        const meaning = above.find((candidate) => !/^#?\s?[A-Z][A-Z0-9_]+=/.test(candidate));
        expect(meaning, line).toMatch(/^# [A-Za-z0-9`$.]/);
      }
    });
  });

  it("starts as it stands: every uncommented suggestion loads", () => {
    const suggested = Object.fromEntries([...exampleEntries].filter(([, value]) => value !== ""));
    const loaded = loadConfig(suggested);
    expect(loaded.ok ? [] : loaded.issues).toEqual([]);
  });

  it("suggests the defaults the config applies (the server's; the simulator's are its own)", () => {
    const suggested = Object.fromEntries(
      [...exampleEntries].filter(
        ([name, value]) => value !== "" && name !== "DATABASE_URL" && name !== "MPESA_CALLBACK_URL",
      ),
    );
    const withSuggestions = loadConfig(suggested);
    const withNothing = loadConfig({});
    if (!withSuggestions.ok || !withNothing.ok) {
      throw new Error("the config did not load");
    }
    // The simulator's settings are overrides of its own defaults, kept only when set: compared apart.
    expect({ ...withSuggestions.config, simulator: null }).toEqual({
      ...withNothing.config,
      simulator: null,
    });
  });

  it("is documented in the README's configuration tables too", () => {
    const readme = readFileSync("README.md", "utf8");
    const undocumented = [...exampleEntries.keys()].filter((name) => !readme.includes(`\`${name}\``));
    expect(undocumented).toEqual([]);
  });
});
