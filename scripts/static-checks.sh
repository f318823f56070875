#!/usr/bin/env bash
# `npm test`'s static checks (lint, typecheck, arch, deno:check) side by side rather than one after another:
# each one's output is printed whole, in that order, and the script fails if any of them failed.
set -uo pipefail
cd "$(dirname "$0")/.."
checks=(lint typecheck arch deno:check)
logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
pids=()
for check in "${checks[@]}"; do
  npm run -s "$check" >"$logs/$check" 2>&1 &
  pids+=("$!")
done
failed=()
for i in "${!checks[@]}"; do
  if ! wait "${pids[$i]}"; then
    failed+=("${checks[$i]}")
  fi
  cat "$logs/${checks[$i]}"
done
if ((${#failed[@]} > 0)); then
  echo "static checks failed: ${failed[*]} (run npm run <check> to see one alone)" >&2
  exit 1
fi
