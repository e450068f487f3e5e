#!/usr/bin/env bash
# Builds the binary users install: `swift build -c release` with the Swift runtime and
# Foundation linked in (SwiftPM's --static-swift-stdlib), so that it
# starts without loading twenty shared libraries (docs/BENCHMARKS.md, "Start-up"). Release-only
# choices live here, not in Package.swift, where every contributor's debug build would see them
# and the package could not be a dependency. Prints the binary's path.
#
#   scripts/build-release.sh [extra swift build arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
flags=(-c release --product statuslab --static-swift-stdlib)
swift build "${flags[@]}" "$@" >&2
echo "$(swift build "${flags[@]}" "$@" --show-bin-path)/statuslab"
