/**
 * Regenerates the typed client's OpenAPI snapshot and types from the server's own document:
 * `npm run client:generate`. tests/unit/client-fresh.test.ts fails when they are stale.
 */
import { writeFile } from "node:fs/promises";
import { CLIENT_FILES, generatedClientFiles } from "./client-files.ts";

const files = await generatedClientFiles();
await writeFile(CLIENT_FILES.document, files.document);
await writeFile(CLIENT_FILES.types, files.types);
console.log(`wrote ${CLIENT_FILES.document} and ${CLIENT_FILES.types}`);
