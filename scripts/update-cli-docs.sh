#!/usr/bin/env bash
# Regenerates the option lists of docs/cli.md from the CLI's option tables
# (src/cli/options.c): the lines between "<!-- options: COMMAND -->" and
# "<!-- end options -->" become `evmap help --markdown COMMAND`.
# With --check, changes nothing and fails when the file is not up to date
# (the test cli.test_options_docs runs it so).
#   scripts/update-cli-docs.sh [--check] [build/evmap] [docs/cli.md]
set -euo pipefail
check=0
if [ "${1:-}" = --check ]; then check=1; shift; fi
evmap=${1:-build/evmap}
doc=${2:-docs/cli.md}
python3 - "$evmap" "$doc" "$check" <<'PY'
import re, subprocess, sys
evmap, doc, check = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
text = open(doc, encoding="utf-8").read()
pattern = re.compile(r"(<!-- options: (\S+) -->\n)(.*?)(<!-- end options -->)",
                     re.S)
def generated(m):
    out = subprocess.run([evmap, "help", "--markdown", m.group(2)],
                         check=True, capture_output=True, text=True).stdout
    return m.group(1) + out + m.group(4)
new = pattern.sub(generated, text)
if not pattern.search(text):
    sys.exit(f"{doc}: no <!-- options: COMMAND --> section")
if check:
    if new != text:
        sys.exit(f"{doc}: the option lists differ from the option tables; "
                 "run scripts/update-cli-docs.sh")
elif new != text:
    open(doc, "w", encoding="utf-8").write(new)
PY
