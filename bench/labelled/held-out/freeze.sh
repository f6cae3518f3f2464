#!/bin/bash
# /tmp/freeze.sh <dir>: a copy of /work/main's current build that measure.mjs can run from.
set -e
d=$1; rm -rf "$d"; mkdir -p "$d/test"
cd /work/main
cp -r bin dist bench package.json "$d/"
cp -r test/typed-env "$d/test/"
ln -s /work/main/node_modules "$d/node_modules"
git -C /work/main rev-parse --short HEAD > "$d/COMMIT"
echo "froze $(cat $d/COMMIT) in $d"
