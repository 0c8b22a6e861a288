#!/usr/bin/env bash
# evmap render to PDF: the native writer by default, cairo's engine on
# request, and the option's errors. Read back with qpdf and poppler-utils
# (scripts/install-deps.sh) when they are installed.
. "$(dirname "$0")/lib.sh"
ex="$EVM_SOURCE_DIR/examples/korea-russia-2023/events.csv"
kr="$EVM_SOURCE_DIR/examples/korea-peninsula/events.csv"

expect_exit 0 "native pdf" -- "$EVMAP" render "$ex" -o "$TMP/n.pdf"
head -c 8 "$TMP/n.pdf" | grep -q '^%PDF-1.6' && pass || fail "not a PDF 1.6 header"
tail -c 6 "$TMP/n.pdf" | grep -q '%%EOF' && pass || fail "no %%EOF"
grep -aq 'Producer (cairo' "$TMP/n.pdf" && fail "native PDF made by cairo" || pass

expect_exit 0 "cairo pdf" -- "$EVMAP" render "$ex" -o "$TMP/c.pdf" --pdf-engine cairo
grep -aq 'cairo' "$TMP/c.pdf" && pass || fail "cairo engine PDF does not say cairo"

expect_exit 0 "native pdf to stdout" -- "$EVMAP" render "$ex" -o - --format pdf
head -c 8 "$TMP/stdout" | grep -q '^%PDF-1.6' && pass || fail "stdout is not a PDF"
SOURCE_DATE_EPOCH=0 "$EVMAP" render "$ex" -o "$TMP/a.pdf" &&
  SOURCE_DATE_EPOCH=0 "$EVMAP" render "$ex" -o - --format pdf >"$TMP/b.pdf"
cmp -s "$TMP/a.pdf" "$TMP/b.pdf" && pass || fail "file and stdout PDFs differ"

expect_exit 0 "korean pdf" -- "$EVMAP" render "$kr" -o "$TMP/k.pdf" --title "서울 and 평양"

if command -v qpdf >/dev/null; then
  for f in n c k; do
    qpdf --check "$TMP/$f.pdf" >/dev/null 2>&1 && pass || fail "qpdf --check $f.pdf"
  done
else
  echo "qpdf not found (scripts/install-deps.sh): PDF syntax not checked"
fi
if command -v pdftotext >/dev/null && command -v pdffonts >/dev/null; then
  pdftotext "$TMP/n.pdf" "$TMP/n.txt"
  for label in Pyongyang Seoul "Vostochny Cosmodrome" "korea-russia-2023: events"; do
    [ "$(grep -c -F "$label" "$TMP/n.txt")" -ge 1 ] && pass || fail "no '$label' in the text"
  done
  [ "$(grep -o -F Pyongyang "$TMP/n.txt" | wc -l)" -eq 1 ] && pass || fail "label extracted twice"
  pdftotext "$TMP/k.pdf" "$TMP/k.txt"
  grep -qF '서울 and 평양' "$TMP/k.txt" && pass || fail "no Hangul title in the text"
  grep -qF 'Seoul (서울)' "$TMP/k.txt" && pass || fail "no Hangul label in the text"
  pdffonts "$TMP/k.pdf" | tail -n +3 >"$TMP/fonts"
  [ -s "$TMP/fonts" ] && pass || fail "no fonts listed"
  grep -v ' yes yes yes ' "$TMP/fonts" && fail "a font is not an embedded subset" || pass
else
  echo "pdftotext not found (scripts/install-deps.sh): PDF text not checked"
fi

expect_exit 2 "bad engine" -- "$EVMAP" render "$ex" -o "$TMP/x.pdf" --pdf-engine skia
expect_stderr '--pdf-engine "skia" is not valid: expected native or cairo'
expect_no_file "$TMP/x.pdf"
expect_exit 0 "help" -- "$EVMAP" render --help
expect_stdout "--pdf-engine"
finish
