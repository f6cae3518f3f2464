#!/bin/bash
# /tmp/measure-all.sh <build> <out> <set names…>: measures each /tmp/set-<name> with that build (LOCAL: the build's
# own bench/labelled set); prints "<set> TP/FP/FN".
b=$1; out=$2; shift 2
: > "$out"
for s in "$@"; do
  echo "== $s" >> "$out"
  if [ "$s" = LOCAL ]; then r=$(node "$b/bench/labelled/measure.mjs" --no-build 2>&1); else r=$(node "$b/bench/labelled/measure.mjs" --no-build --set "/tmp/set-$s" 2>&1); fi
  echo "$r" | grep -E "^(all|  F[PN])" >> "$out"
  a=$(echo "$r" | grep -E "^all" | awk '{print $3"/"$4"/"$5}')
  echo "$s ${a:-ERR}"
done
