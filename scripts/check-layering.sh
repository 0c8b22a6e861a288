#!/bin/bash
# Checks that the source folders include one another in one direction
# only. The library's folders, lowest first:
#
#   core  load  geo  text  map  paint  batch
#
# A folder includes its own headers and those of folders below it, never
# one above it nor another at its level. The CLI (src/cli) uses only the
# public API (<evmap/...>) and its own headers; the public headers
# (include/evmap) include only one another.
#
# Usage: scripts/check-layering.sh [SOURCE_DIR]   (exit 1 on a violation)
set -u
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root" || exit 2

layers=(core load geo text map paint batch)
rank_of() {
    local i
    for i in "${!layers[@]}"; do
        [ "${layers[$i]}" = "$1" ] && { echo "$i"; return; }
    done
    echo -1
}

bad=0
report() {
    echo "$1: $2" >&2
    bad=1
}

# One line per include: file, line, included path.
quoted_includes() {
    grep -rnoE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"][^>"]+[>"]' \
        --include='*.c' --include='*.h' "$@" |
        sed -E 's/^([^:]+):([0-9]+):[^<"]*([<"])([^>"]+)[>"]$/\1 \2 \3 \4/'
}

for dir in src/lib/*/; do
    folder=$(basename "$dir")
    own=$(rank_of "$folder")
    if [ "$own" -lt 0 ]; then
        report "$dir" "folder not in the layer list of $0: add it at its level"
        continue
    fi
    while read -r file line kind path; do
        target=${path%%/*}
        # No folder (a system header, or one beside the file), the public
        # API, or the folder itself.
        [ "$target" = "$path" ] || [ "$target" = "$folder" ] && continue
        r=$(rank_of "$target")
        if [ "$r" -lt 0 ]; then
            [ "$kind" = '"' ] && [ "$target" != evmap ] &&
                report "$file:$line" "includes \"$path\" from no known folder"
        elif [ "$r" -ge "$own" ]; then
            report "$file:$line" "$folder/ includes $target/ ($path), which is not below it"
        fi
    done < <(quoted_includes "$dir")
done

# The CLI and the public headers: no library folder, quoted or not.
outside() {
    local what=$1 file line kind path
    while read -r file line kind path; do
        if [ "$(rank_of "${path%%/*}")" -ge 0 ] ||
            { [ "$kind" = '"' ] && [ "$path" != "${path#*/}" ]; }; then
            report "$file:$line" "$what includes $path: use the public API (<evmap/...>)"
        fi
    done
}
outside "the CLI" < <(quoted_includes src/cli)
outside "a public header" < <(quoted_includes include/evmap)

[ "$bad" = 0 ] && echo "layering: every include points down"
exit "$bad"
