#!/usr/bin/env bash
# npm test: everything, in order of speed, stopping at the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n=== %s ===\n' "$1"; }
step "typecheck"; npx tsc --noEmit
step "lint"; npx eslint . --max-warnings 0
step "unit tests"; npx vitest run --project unit
step "integration tests"; npx vitest run --project integration
step "browser tests"; npm run --silent test:e2e
