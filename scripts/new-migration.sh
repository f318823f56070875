#!/usr/bin/env bash
# Writes a migration for the schema changes in src/adapters/persistence/rows/, named after $1, by diffing the
# row mappings against a scratch database that has every committed migration applied. Needs a local PostgreSQL
# (DATABASE_URL's server, default postgres://postgres@127.0.0.1:5432). Review the file, then add it to
# migrations-list.ts.
set -euo pipefail
name="${1:?usage: scripts/new-migration.sh <kebab-case-name>}"
server="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
scratch="payme_migration_$$"
base="${server%/*}"
psql "$server" -qc "create database \"$scratch\""
trap 'psql "$server" -qc "drop database if exists \"$scratch\" with (force)"' EXIT
DATABASE_URL="$base/$scratch" npm run -s migrate
before=$(ls src/adapters/persistence/migrations)
# The MikroORM CLI assumes ts-node: run it under tsx instead, with the repository's CLI configuration.
DATABASE_URL="$base/$scratch" MIKRO_ORM_CLI_USE_TS_NODE=false MIKRO_ORM_CLI_ALWAYS_ALLOW_TS=1 \
  MIKRO_ORM_CLI_CONFIG=mikro-orm.config.ts NODE_OPTIONS='--import tsx' npx mikro-orm migration:create >/dev/null
created=$(comm -13 <(echo "$before") <(ls src/adapters/persistence/migrations))
if [ -z "$created" ]; then
  echo "no migration written: the row mappings match the committed migrations" >&2
  exit 1
fi
stem="${created%.ts}-${name}"
target="src/adapters/persistence/migrations/${stem}.ts"
mv "src/adapters/persistence/migrations/$created" "$target"
# Name the class after the file, and list the migration: vitest and tsx cannot find migrations by globbing.
stamp="${created#migration-}"; stamp="${stamp%.ts}"
class="Migration${stamp}$(echo "$name" | sed -E 's/(^|-)([a-z])/\U\2/g')"
sed -i -E "s/export class Migration[0-9]+ /export class ${class} /" "$target"
list=src/adapters/persistence/migrations/migrations-list.ts
sed -i "s#^import type { MigrationObject } from \"@mikro-orm/core\";#&\nimport { ${class} } from \"./${stem}.ts\";#" "$list"
sed -i "s#^];#  { name: \"${stem}\", class: ${class} },\n];#" "$list"
npx biome check --write "$list" "$target" >/dev/null
echo "$target: review it (keep only this change's DDL) and add a doc comment to ${class}"
