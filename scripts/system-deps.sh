#!/usr/bin/env bash
# Checks the system packages the stack needs, and installs the missing ones when it can:
# as root on Debian or Ubuntu (as CI is) with apt-get; otherwise it stops and prints the command.
#   Pango + HarfBuzz subsetting  WeasyPrint renders PDFs (subsetting: ~40% faster, byte-reproducible)
#   chromium                     the browser tests (Playwright drives Debian's Chromium)
#   poppler-utils                pdftotext / pdftoppm, to check PDFs in tests
#   nodejs, npm                  build the interface's assets from govuk-frontend
#   wrk                          only for `make bench` (pass "bench" as the first argument)
set -euo pipefail

packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 chromium poppler-utils nodejs npm fonts-dejavu-core)
if [ "${1:-}" = "bench" ]; then
  packages+=(wrk)
fi

missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    # node and npm may come from elsewhere (nvm, NodeSource): accept them if on PATH.
    case "$pkg" in
      nodejs) command -v node >/dev/null 2>&1 && continue ;;
      npm) command -v npm >/dev/null 2>&1 && continue ;;
    esac
    missing+=("$pkg")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "This set-up installs system packages on Debian or Ubuntu only. Install the equivalents of:" >&2
  echo "  ${missing[*]}" >&2
  exit 1
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "Missing system packages. Install them with:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
