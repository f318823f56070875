#!/usr/bin/env bash
# `npm run build`: compiles src/ to dist/ with tsc (relative `.ts` imports rewritten to `.js`), then copies the
# files the server reads beside its modules (the Daraja certificates, the simulator's development key).
# `npm run start:prod` and `npm run migrate:prod` run the result with plain node, no TypeScript loader.
set -euo pipefail
cd "$(dirname "$0")/.."
# BUILD_OUT_DIR (an absolute path) builds elsewhere: the build test uses it, so that it never touches dist/.
out="${BUILD_OUT_DIR:-$PWD/dist}"
rm -rf "$out"
npx tsc -p tsconfig.build.json --outDir "$out"
(cd src && find . -type f \( -name '*.cer' -o -name '*.pem' \) -print0 | xargs -0 -I{} cp --parents {} "$out/")
echo "built $out (start it with npm run start:prod)"
