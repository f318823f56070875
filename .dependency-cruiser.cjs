/**
 * The dependency rule of the hexagon, enforced in `npm test`.
 * The core (src/domain, src/application) must stay runtime-agnostic: it runs under Deno as it does under Node.
 */
const frameworks =
  "(^|/)node_modules/(hono|pg-boss|@hono/|@mikro-orm/|mikro-orm-pglite|@electric-sql/|undici|valibot|tsyringe|reflect-metadata|pino|pg|uuid|@node-rs/|@oslojs/|node-forge)";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "domain-imports-only-domain",
      comment: "src/domain is the innermost ring: it may import nothing outside src/domain.",
      severity: "error",
      from: { path: "^src/domain/" },
      to: { pathNot: "^src/domain/" },
    },
    {
      name: "application-imports-only-domain",
      comment:
        "src/application may import src/domain and itself, nothing else (no adapters, no main, no packages).",
      severity: "error",
      from: { path: "^src/application/" },
      to: { pathNot: "^src/(domain|application)/" },
    },
    {
      name: "features-keep-to-themselves",
      comment:
        "A feature of src/application (accounts, payment-configs, sales, wallet, payouts, refunds, operations, c2b, webhooks, lookups) imports its own folder, ports/, shared/ and the payment seam stk/, never another feature's files: what two features share lives in shared/ or ports/.",
      severity: "error",
      from: {
        path: "^src/application/(accounts|payment-configs|sales|wallet|payouts|refunds|operations|c2b|webhooks|lookups)/",
      },
      to: {
        path: "^src/application/(?!$1/)(?!ports/)(?!shared/)(?!stk/)[^/]+/",
      },
    },
    {
      name: "seam-and-shared-import-no-feature",
      comment:
        "The payment seam (stk/), shared/ and ports/ serve every feature, so they import no feature's files: a feature plugs into the seam by registration at the composition root.",
      severity: "error",
      from: { path: "^src/application/(stk|shared|ports)/" },
      to: {
        path: "^src/application/(accounts|payment-configs|sales|wallet|payouts|refunds|operations|c2b|webhooks|lookups)/",
      },
    },
    {
      name: "core-no-node-builtins",
      comment:
        "The core must run under Deno: no node: modules or Node built-ins in src/domain or src/application.",
      severity: "error",
      from: { path: "^src/(domain|application)/" },
      to: { dependencyTypes: ["core"] },
    },
    {
      name: "core-no-frameworks",
      comment:
        "The core must not import hono, @mikro-orm/*, undici, valibot, tsyringe or any other framework.",
      severity: "error",
      from: { path: "^src/(domain|application)/" },
      to: { path: frameworks },
    },
    {
      name: "adapters-not-main",
      comment: "Adapters are plugged in by src/main; they never import the composition root.",
      severity: "error",
      from: { path: "^src/adapters/" },
      to: { path: "^src/main/" },
    },
    {
      name: "simulator-only-from-main",
      comment:
        "The Daraja simulator is a development tool that only the composition root plugs in: no other production code, above all the Daraja client in src/adapters/daraja, imports it.",
      severity: "error",
      from: { path: "^src/", pathNot: "^src/(main|adapters/daraja-simulator)/" },
      to: { path: "^src/adapters/daraja-simulator/" },
    },
    {
      name: "src-not-tests",
      comment: "Production code never imports test code.",
      severity: "error",
      from: { path: "^src/" },
      to: { path: "^tests/" },
    },
    {
      name: "src-not-bench",
      comment: "Production code never imports the benchmarks and drills.",
      severity: "error",
      from: { path: "^src/" },
      to: { path: "^bench/" },
    },
    {
      name: "src-not-sim",
      comment: "Production code never imports the deterministic simulation.",
      severity: "error",
      from: { path: "^src/" },
      to: { path: "^sim/" },
    },
    {
      name: "no-circular",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    {
      name: "not-to-unresolvable",
      comment: "Every import must resolve.",
      severity: "error",
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".json"],
    },
  },
};
