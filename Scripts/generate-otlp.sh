#!/usr/bin/env bash
# Generates Sources/AgentLogOTLP/Generated/otlp/*.pb.swift from Protos/otlp/*.proto (split by concern). Run only when
# the .proto changes; the output is committed, so builds never need protoc or the plugin.
#   apt-get install -y protobuf-compiler        (protoc 3.21 on Debian 12)
#   git clone /opt/swift-packages/apple/swift-protobuf.git /tmp/swift-protobuf  (or GitHub)
#   (cd /tmp/swift-protobuf && git checkout 1.39.0 && swift build -c release --product protoc-gen-swift)
# The plugin's version must match the SwiftProtobuf the package depends on.
set -euo pipefail
cd "$(dirname "$0")/.."
plugin="${PROTOC_GEN_SWIFT:-/tmp/swift-protobuf/.build/release/protoc-gen-swift}"
[ -x "$plugin" ] || { echo "generate-otlp.sh: protoc-gen-swift not found at $plugin (set PROTOC_GEN_SWIFT)" >&2; exit 1; }
protoc --plugin=protoc-gen-swift="$plugin" --proto_path=Protos \
    --swift_out=Sources/AgentLogOTLP/Generated --swift_opt=Visibility=Public Protos/otlp/*.proto
ls Sources/AgentLogOTLP/Generated
