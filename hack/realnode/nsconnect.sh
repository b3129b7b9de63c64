#!/usr/bin/env bash
# nsconnect.sh HOST PORT: connects stdin/stdout to HOST:PORT inside the real
# node's network namespace. The host-side loopback relays (api-relay in
# up.sh, port-forward.sh --relay) run it once per connection.
source "$(dirname "$0")/lib.sh"
exec nsenter --net="$netns" -- socat STDIO "TCP:$1:$2,connect-timeout=5"
