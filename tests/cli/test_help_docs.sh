#!/usr/bin/env bash
# --help, the man pages, docs/cli.md and the shell completions all come
# from the option tables (src/cli/options.c): each lists the same options
# for every command, the parser takes every option they list, and after
# `cmake --install` `man evmap-render` and `evmap render <TAB>` work.
source "$(dirname "$0")/lib.sh"
: "${EVM_BUILD_DIR:?}"
commands=$("$EVMAP" --help | sed -n 's/^  \([a-z]*\) .*/\1/p' | grep -v '^help$')
[ -n "$commands" ] && pass || fail "evmap --help lists no command"

# docs/cli.md: its option lists are what the tables print.
"$EVM_SOURCE_DIR/scripts/update-cli-docs.sh" --check "$EVMAP" \
  "$EVM_SOURCE_DIR/docs/cli.md" 2>"$TMP/stderr" && pass ||
  { fail "docs/cli.md is not up to date"; cat "$TMP/stderr" >&2; }

# The long option names each source lists, sorted.
from_help() { "$EVMAP" "$1" --help |
  sed -n 's/^  \(-[a-z], \)\{0,1\}--\([a-z0-9-]*\).*/\2/p' | sort; }
from_man() { sed -n 's/^\(\\fB\\-[a-z]\\fR, \)\{0,1\}\\fB\\-\\-\([a-z0-9\\-]*\)\\fR.*/\2/p' \
  "$EVM_BUILD_DIR/share/man1/evmap-$1.1" | sed 's/\\-/-/g' | sort; }
from_docs() { sed -n "/<!-- options: $1 -->/,/<!-- end options -->/p" \
  "$EVM_SOURCE_DIR/docs/cli.md" |
  sed -n 's/^| \(`-[a-z]`, \)\{0,1\}`--\([a-z0-9-]*\).*/\2/p' | sort; }
for cmd in $commands; do
  from_help "$cmd" >"$TMP/help.$cmd"
  from_man "$cmd" >"$TMP/man.$cmd"
  from_docs "$cmd" >"$TMP/docs.$cmd"
  [ "$(wc -l <"$TMP/help.$cmd")" -ge 2 ] && pass ||
    fail "$cmd --help lists $(wc -l <"$TMP/help.$cmd") options"
  cmp -s "$TMP/help.$cmd" "$TMP/man.$cmd" && pass ||
    { fail "$cmd: --help and evmap-$cmd(1) differ"; diff "$TMP/help.$cmd" "$TMP/man.$cmd" >&2; }
  cmp -s "$TMP/help.$cmd" "$TMP/docs.$cmd" && pass ||
    { fail "$cmd: --help and docs/cli.md differ"; diff "$TMP/help.$cmd" "$TMP/docs.$cmd" >&2; }
  # The parser takes every option the help lists (a value where the
  # help names one): parsing succeeds, then --help prints the help.
  while read -r opt; do
    label=$("$EVMAP" "$cmd" --help | grep -E -- "^  (-[a-z], )?--$opt( |$)" | head -1)
    set -- "--$opt"
    [[ $label == *"--$opt "[A-Z]* ]] && set -- "--$opt" x
    "$EVMAP" "$cmd" "$@" --help >/dev/null 2>"$TMP/stderr" && pass ||
      { fail "$cmd does not take --$opt listed in its help"; cat "$TMP/stderr" >&2; }
  done <"$TMP/help.$cmd"
done
# The summary page names every command page.
for cmd in $commands; do
  grep -q "evmap\\\\-$cmd (1)" "$EVM_BUILD_DIR/share/man1/evmap.1" && pass ||
    fail "evmap(1) does not refer to evmap-$cmd(1)"
done

# Installed: the man pages under share/man/man1, the completions where
# bash-completion and zsh look for them.
prefix=$TMP/prefix
cmake --install "$EVM_BUILD_DIR" --prefix "$prefix" >"$TMP/install.log" 2>&1 ||
  { cat "$TMP/install.log" >&2; fail "cmake --install"; }
for f in share/man/man1/evmap.1 share/man/man1/evmap-render.1 \
         share/man/man1/evmap-batch.1 share/bash-completion/completions/evmap \
         share/zsh/site-functions/_evmap; do
  [ -s "$prefix/$f" ] && pass || fail "install lacks $f"
done
if command -v man >/dev/null; then
  MANPATH="$prefix/share/man" MANWIDTH=80 man evmap-render 2>&1 |
    sed $'s/.\b//g' >"$TMP/man.txt"
  grep -q -- "--extent W,S,E,N" "$TMP/man.txt" && pass ||
    { fail "man evmap-render does not show --extent"; head -20 "$TMP/man.txt" >&2; }
  grep -q "evmap-render - draw a map" "$TMP/man.txt" && pass ||
    fail "man evmap-render lacks its NAME line"
else
  echo "note: man is not installed; the man pages were not displayed" >&2
fi

# bash: complete as bash-completion would, with COMP_WORDS set.
complete_bash() { # words... (the last is the one being completed)
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
           _evmap; printf "%s\n" "${COMPREPLY[@]}"' _ \
    "$prefix/share/bash-completion/completions/evmap" "$@" | sort
}
[ "$(complete_bash evmap re)" = render ] && pass || fail "evmap re<TAB>"
complete_bash evmap render --ex >"$TMP/c"
grep -qx -- --extent "$TMP/c" && pass || fail "evmap render --ex<TAB>: $(cat "$TMP/c")"
[ "$(complete_bash evmap render --format '' | tr '\n' ' ')" = "pdf png svg " ] &&
  pass || fail "evmap render --format <TAB>"
[ "$(complete_bash evmap render --units m | tr '\n' ' ')" = "m mi " ] &&
  pass || fail "evmap render --units m<TAB>"
complete_bash evmap batch --fr >"$TMP/c"
grep -qx -- --frames "$TMP/c" && pass || fail "evmap batch --fr<TAB>"
# Every option of render is offered after "--".
complete_bash evmap render -- >"$TMP/c"
sed 's/^/--/' "$TMP/help.render" | sort | cmp -s - "$TMP/c" && pass ||
  fail "evmap render --<TAB> does not offer the options of --help"

# zsh: the function loads, and its option specs name every option.
if command -v zsh >/dev/null; then
  zsh -n "$prefix/share/zsh/site-functions/_evmap" && pass ||
    fail "_evmap is not valid zsh"
  zsh -fc "fpath=('$prefix/share/zsh/site-functions' \$fpath)
           autoload -Uz compinit && compinit -u -d '$TMP/zcomp'
           [[ \${_comps[evmap]} == _evmap ]]" && pass ||
    fail "zsh compinit does not bind _evmap to evmap"
  for opt in $(cat "$TMP/help.render"); do
    grep -qE -- "--$opt(\}')?\[" "$prefix/share/zsh/site-functions/_evmap" && pass ||
      fail "_evmap lacks render --$opt"
  done
else
  echo "note: zsh is not installed; the zsh completion was not loaded" >&2
fi
finish
