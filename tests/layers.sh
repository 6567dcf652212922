#!/bin/sh
# The layer rule of src/LAYERS: every `#include "folder/file.h"` under src/
# names a header of the including file's own folder or of a folder on a
# lower layer. Prints each include that goes up or sideways, each folder
# missing from LAYERS, and any cycle between folders; exits 1 if there is
# one. Usage: layers.sh SRC_DIR
set -eu
src=${1:?usage: layers.sh SRC_DIR}
edges=$(mktemp)
trap 'rm -f "$edges"' EXIT

# Every include between files of src/, as "file folder included-folder".
find "$src" -name '*.[ch]' ! -path "$src/tools/*" | sort | while read -r file; do
	rel=${file#"$src"/}
	case $rel in */*) from=${rel%%/*} ;; *) from=. ;; esac
	sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$file" |
	while read -r inc; do
		[ -f "$src/$inc" ] || continue   # generated (assets.h) or system
		case $inc in */*) to=${inc%%/*} ;; *) to=. ;; esac
		[ "$from" = "$to" ] || echo "$rel $from $to $inc"
	done
done >"$edges"

status=0
awk -v layers="$src/LAYERS" '
BEGIN {
	while ((getline line < layers) > 0) {
		sub(/#.*/, "", line)
		n = split(line, f, /[[:space:]]+/)
		seen = 0
		for (i = 1; i <= n; i++)
			if (f[i] != "") { rank[f[i]] = level; seen = 1 }
		level += seen
	}
}
{
	file = $1; from = $2; to = $3; inc = $4
	if (!(from in rank)) { missing[from] = 1; next }
	if (!(to in rank)) { missing[to] = 1; next }
	if (rank[to] > rank[from]) {
		printf "%s: includes %s, from a higher layer (%s above %s)\n", file, inc, to, from
		bad = 1
	} else if (rank[to] == rank[from]) {
		printf "%s: includes %s, from %s on its own layer\n", file, inc, to
		bad = 1
	}
}
END {
	for (m in missing) {
		printf "src/%s: folder missing from src/LAYERS\n", m
		bad = 1
	}
	exit bad
}' "$edges" || status=1

# A cycle between folders, whatever LAYERS says (tsort names its members).
if ! awk '{ print $2, $3 }' "$edges" | sort -u | tsort >/dev/null 2>"$edges.cycle"; then
	echo "a cycle between folders of src/:"
	cat "$edges.cycle"
	status=1
fi
rm -f "$edges.cycle"
[ $status -eq 0 ] && echo "src/: every include goes down a layer, no cycle between folders"
exit $status
