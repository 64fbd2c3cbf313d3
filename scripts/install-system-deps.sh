#!/bin/sh
# Installs the Debian packages the pipeline shells out to, where they are missing:
# LibreOffice (DOC/WPS → DOCX), tesseract + chi_sim (OCR fallback), poppler-utils (rasterise PDFs),
# Noto CJK fonts (render Chinese), Chromium (headless browser tests of the UI and the HTML report),
# PostgreSQL (the local cluster's Prefect database and DuckLake catalog: scripts/cluster.sh, flows/pgserver.py).
set -eu
need=""
command -v soffice >/dev/null 2>&1 || need="$need libreoffice-writer-nogui"
command -v tesseract >/dev/null 2>&1 || need="$need tesseract-ocr"
{ command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -q chi_sim; } || need="$need tesseract-ocr-chi-sim"
command -v pdftoppm >/dev/null 2>&1 || need="$need poppler-utils"
{ command -v fc-list >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "Noto.*CJK"; } || need="$need fonts-noto-cjk"
command -v chromium >/dev/null 2>&1 || need="$need chromium"
{ command -v fc-list >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "UMing"; } || need="$need fonts-arphic-uming"
{ ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1; } || need="$need postgresql"
[ -z "$need" ] && exit 0
echo "installing Debian packages:$need"
SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "error: missing Debian packages:$need — install them as root: apt-get install -y$need" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $need
