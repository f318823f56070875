import type { Context } from "hono";

/** The fields of a submitted HTML form (urlencoded or multipart), as text; uploaded files are ignored. */
export class FormValues {
  private constructor(private readonly fields: ReadonlyMap<string, string>) {}

  /** Hono caches the parsed body, so a middleware and the route can both read it. */
  static async of(c: Context): Promise<FormValues> {
    const contentType = c.req.header("content-type") ?? "";
    if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(contentType)) {
      return new FormValues(new Map());
    }
    let body: Awaited<ReturnType<typeof c.req.parseBody>>;
    try {
      body = await c.req.parseBody();
    } catch (error) {
      // A multipart body that does not parse: a form with no fields, which its page refuses in its own words.
      c.var.log?.warn({ err: error }, "form body could not be parsed");
      return new FormValues(new Map());
    }
    const fields = new Map<string, string>();
    for (const [name, value] of Object.entries(body)) {
      if (typeof value === "string") {
        // No browser sends a NUL from a text box, and the database cannot store one: it shows as U+FFFD instead.
        fields.set(name, value.replaceAll("\u0000", "\ufffd"));
      }
    }
    return new FormValues(fields);
  }

  /** The field as typed, "" when absent. */
  text(name: string): string {
    return this.fields.get(name) ?? "";
  }

  /** The field trimmed, or undefined when it was left empty (an optional field). */
  optional(name: string): string | undefined {
    const value = this.text(name).trim();
    return value === "" ? undefined : value;
  }

  /**
   * A number typed into a text box: the number when it looks like one, else the text as typed, so that the use
   * case's own rule rejects it in its own words ("must be whole shillings", "must be a number of shillings").
   */
  number(name: string): number | string | undefined {
    const value = this.text(name).trim().replace(/,/g, "");
    if (value === "") {
      return undefined;
    }
    return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  }

  /** The fields to show again after an error; secrets (named in `except`) are never sent back. */
  echo(except: readonly string[] = []): Record<string, string> {
    const values: Record<string, string> = {};
    for (const [name, value] of this.fields) {
      if (!except.includes(name) && name !== "_csrf") {
        values[name] = value;
      }
    }
    return values;
  }

  names(): string[] {
    return [...this.fields.keys()];
  }
}
