#!/usr/bin/env bash
# sign.sh KIND NAMESPACE NAME [--return] LEVEL=USER...: each signer signs as
# themselves (kubectl --as), one signature per write, in chain order; the
# operator's webhook stamps who and when and asks the API server whether
# that user may approve at that level there (S1, T1, T6).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
kind=$1 ns=$2 name=$3; shift 3
path=/spec/approvals
if [ "${1:-}" = --return ]; then path=/spec/returnRequest/approvals; shift; fi
jsonpath="{${path//\//.}}"
for signer in "$@"; do
  level=${signer%%=*} user=${signer#*=}
  approval="{\"level\":\"$level\",\"decision\":\"Approved\"}"
  if [ -z "$("$kubectl" get "$kind" "$name" -n "$ns" -o jsonpath="$jsonpath")" ]; then
    patch="[{\"op\":\"add\",\"path\":\"$path\",\"value\":[$approval]}]"
  else
    patch="[{\"op\":\"add\",\"path\":\"$path/-\",\"value\":$approval}]"
  fi
  "$kubectl" --as "$user" patch "$kind" "$name" -n "$ns" --type json -p "$patch" >/dev/null
  echo "  $kind $ns/$name: signed at level $level by $user"
done
