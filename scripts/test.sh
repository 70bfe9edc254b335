#!/usr/bin/env bash
# Runs every test of Sikker By: unit, store suite on SQLite and PostgreSQL, HTTP, browser.
# Installs what the tests need from Debian on a fresh machine (Chromium and its driver for the
# browser tests, poppler-utils for reading PDFs back, npm and python3-venv for axe-core and
# Schemathesis), then runs the workspace's tests.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v npm >/dev/null 2>&1 || need+=(npm)
command -v curl >/dev/null 2>&1 || need+=(curl)
python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || need+=(python3-venv)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing test dependencies: ${need[*]}"
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

# axe-core for the accessibility test (pinned in tools/a11y/package-lock.json) and Schemathesis
# for the API fuzz test (pinned in scripts/schemathesis.sh, installed into target/).
[ -d tools/a11y/node_modules ] || npm ci --prefix tools/a11y --no-audit --no-fund
# oidc-provider, the real OpenID provider of the sign-in tests (pinned in tools/oidc/package-lock.json).
[ -d tools/oidc/node_modules ] || npm ci --prefix tools/oidc --no-audit --no-fund
scripts/schemathesis.sh --install-only || echo "Schemathesis is not installed: its test skips (fails under CI=true)"

# PostgreSQL for the store suite: the machine's local server unless told otherwise.
export SIKKERBY_TEST_POSTGRES_URL="${SIKKERBY_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}"

cargo test --workspace --locked "$@"
