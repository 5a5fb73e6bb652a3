#!/usr/bin/env bash
# Regenerates src/contract/tz-names.txt: every zone and link name the IANA tz
# database defines, one a line, sorted. Source: the system's tzdata.zi (Debian's
# `tzdata` package). Run it when tzdata has a new release; commit the result.
set -euo pipefail
zi=${1:-/usr/share/zoneinfo/tzdata.zi}
out="$(dirname "$0")/../src/contract/tz-names.txt"
awk '$1 == "Z" { print $2 } $1 == "L" { print $3 }' "$zi" | LC_ALL=C sort -u > "$out"
echo "$(wc -l < "$out") names from $(head -1 "$zi" | sed 's/^# //') -> $out"
