#!/usr/bin/env bash
# Copy Mermaid's browser bundle from the npm registry into kgwiki's static assets, with its
# licence beside it. The site loads it only on pages that hold a diagram, from its own files
# (never a CDN), so diagrams draw offline and from file://.
# Usage: bash scripts/vendor_mermaid.sh [VERSION]   (needs npm)
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=${1:-12.4.0}
DEST=kgwiki/web/static/vendor/mermaid
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm pack --silent "mermaid@$VERSION" >/dev/null && tar -xzf mermaid-*.tgz)
mkdir -p "$DEST"
cp "$WORK/package/dist/mermaid.min.js" "$DEST/mermaid.min.js"
cp "$WORK/package/LICENSE" "$DEST/LICENSE"
cp "$WORK/package/THIRD_PARTY_NOTICES" "$DEST/THIRD_PARTY_NOTICES"
echo "$VERSION" > "$DEST/VERSION"
echo "mermaid $VERSION -> $DEST ($(du -h "$DEST/mermaid.min.js" | cut -f1))"
