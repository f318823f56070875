import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { testApp } from "../support/test-app.ts";

type Document = {
  openapi: string;
  paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown> }>>;
};

const documentOf = async () => {
  const { app } = testApp();
  const response = await app.request("/openapi.json");
  expect(response.status).toBe(200);
  return { app, document: (await response.json()) as Document };
};

describe("the OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const { document } = await documentOf();
    expect(document.openapi).toBe("3.1.0");
    const validator = new Validator();
    const result = await validator.validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("describes every registered route", async () => {
    const { app, document } = await documentOf();
    const registered = new Set(
      app.routes
        .filter((route) => route.method !== "ALL")
        .map((route) => `${route.method} ${route.path.replace(/:([A-Za-z]+)/g, "{$1}")}`),
    );
    const documented = new Set(
      Object.entries(document.paths).flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
      ),
    );
    // hono-openapi leaves the document's own route out of the document.
    documented.add("GET /openapi.json");
    expect([...registered].filter((route) => !documented.has(route))).toEqual([]);
    expect(registered.size).toBeGreaterThan(20);
  });

  it("documents request bodies, problem responses and bearer auth", async () => {
    const { document } = await documentOf();
    const signUp = document.paths["/auth/sign-up"]?.post as unknown as {
      requestBody: { content: Record<string, { schema: { properties: Record<string, unknown> } }> };
      security: unknown[];
    };
    expect(Object.keys(signUp.requestBody.content["application/json"]?.schema.properties ?? {})).toEqual(
      expect.arrayContaining(["email", "password", "name"]),
    );
    expect(signUp.security).toEqual([]);
    const sale = document.paths["/api/sales/payment"]?.post;
    expect(sale?.security).toEqual([{ bearerAuth: [] }, { apiKey: ["sales:write"] }]);
    expect(Object.keys(sale?.responses ?? {})).toEqual(
      expect.arrayContaining(["202", "400", "401", "409", "422", "502"]),
    );
    expect(JSON.stringify(sale?.responses["409"])).toContain("#/components/schemas/Problem");
  });

  it("documents the body of the redeliver answer, the endpoints the event was queued to", async () => {
    const { document } = await documentOf();
    const accepted = document.paths["/api/events/{id}/redeliver"]?.post?.responses["202"] as {
      content?: Record<string, { schema: { properties?: Record<string, { type?: string }> } }>;
    };
    expect(accepted.content?.["application/json"]?.schema.properties?.endpointIds?.type).toBe("array");
  });
});

describe("the documentation page", () => {
  it("loads its script and styles from PayMe itself, not from a CDN", async () => {
    const { app } = testApp();
    const page = await app.request("/docs");
    expect(page.status).toBe(200);
    const html = await page.text();
    const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1] ?? "");
    expect(sources.length).toBeGreaterThan(2);
    for (const source of sources) {
      expect(source.startsWith("/")).toBe(true);
      const asset = await app.request(source);
      expect(asset.status, source).toBe(200);
    }
    expect((await app.request("/docs/assets/../../package.json")).status).toBe(404);
  });
});
