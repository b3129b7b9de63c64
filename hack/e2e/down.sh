#!/usr/bin/env bash
# Stops the operator the e2e run started, then the real node.
set -euo pipefail
source "$(dirname "$0")/../realnode/lib.sh"
stop sitegroup-manager 10
"$root/hack/realnode/down.sh"
