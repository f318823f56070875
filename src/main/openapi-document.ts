import { createLogger } from "../adapters/logging/logger.ts";
import { loadConfig } from "./config.ts";
import { buildContainer } from "./container.ts";
import { resolve, SERVICES } from "./tokens.ts";

/**
 * PayMe's OpenAPI document as `GET /openapi.json` serves it, built from the composition root on in-memory
 * adapters (no database, no Daraja, throwaway keys): the document depends on the routes, never on the data.
 */
export async function openApiDocument(): Promise<unknown> {
  const loaded = loadConfig({ LOG_LEVEL: "silent" });
  if (!loaded.ok) {
    throw new Error(`the default configuration did not load: ${JSON.stringify(loaded.issues)}`);
  }
  const throwaway = "openapi-document-only-key-that-signs-nothing";
  const container = buildContainer(loaded.config, {
    logger: createLogger({ level: "silent" }),
    database: null,
    secrets: {
      jwtSecret: throwaway,
      encryptionKey: Buffer.alloc(32, 1).toString("base64"),
      retiredEncryptionKeys: [],
    },
    daraja: null,
  });
  const response = await resolve(container, SERVICES.app).request("/openapi.json");
  if (response.status !== 200) {
    throw new Error(`GET /openapi.json answered ${response.status}`);
  }
  return response.json();
}
