/* Fuzz target for the CSV events loader.
 *
 * Loads the input with evm_events_load_memory and touches every result;
 * the first byte also picks options (delimiter, a filter, a date range)
 * and a chunk size, and the input fed in chunks of that size must give
 * exactly the same events, rejections and errors as when fed whole.
 *
 * Build with libFuzzer (from the repository root):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -DEVM_LIBFUZZER \
 *     -Iinclude -Isrc/lib tests/fuzz/fuzz_csv.c src/lib/core/error.c \
 *     src/lib/load/csv_reader.c src/lib/load/coord.c src/lib/load/date.c \
 *     src/lib/load/events.c -lcsv -lm -o fuzz_csv
 *   ./fuzz_csv -max_len=4096 corpus/ tests/data/csv
 * Without -DEVM_LIBFUZZER it is linked with replay.c, whose main() runs
 * the target over the files named on the command line, so a corpus also
 * runs under gcc as an ordinary test. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <evmap/events.h>

#include "load/events_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A running checksum of everything observable, with the error text. */
static uint64_t mix(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ s[i]) * 0x100000001b3u; /* FNV-1a */
    return h;
}

static uint64_t mix_str(uint64_t h, const char *s)
{
    return mix(h, s, strlen(s) + 1);
}

static uint64_t digest(const evm_events_t *ev, evm_status st,
                       const evm_error_t *err)
{
    uint64_t h = 0xcbf29ce484222325u;
    char buf[1200];
    h = mix(h, &st, sizeof st);
    if (st != EVM_OK) {
        evm_error_format(err, buf, sizeof buf);
        return mix_str(h, buf);
    }
    size_t n = evm_events_count(ev), cols = evm_events_column_count(ev);
    size_t counts[3] = {evm_events_rows_read(ev), evm_events_filtered_count(ev),
                        evm_events_rejected_count(ev)};
    h = mix(h, &n, sizeof n);
    h = mix(h, counts, sizeof counts);
    for (size_t c = 0; c < cols; c++)
        h = mix_str(h, evm_events_column_name(ev, c));
    for (size_t i = 0; i < n; i++) {
        const evm_event_t *e = evm_events_get(ev, i);
        double v[3] = {e->lat_deg, e->lon_deg, e->date_s};
        if (!(e->lat_deg >= -90 && e->lat_deg <= 90 && e->lon_deg >= -180 &&
              e->lon_deg <= 180))
            abort(); /* the loader promised the range */
        h = mix(h, v, sizeof v);
        h = mix(h, &e->line, sizeof e->line);
        h = mix_str(h, e->name);
        h = mix_str(h, e->kind);
        h = mix_str(h, e->date);
        for (size_t c = 0; c < cols; c++)
            h = mix_str(h, evm_events_value(ev, i, c));
    }
    for (size_t i = 0; i < counts[2]; i++) {
        evm_error_format(evm_events_rejected(ev, i), buf, sizeof buf);
        h = mix_str(h, buf);
    }
    return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const where[] = {"kind=a"};
    static const char delims[4] = {0, ',', ';', '\t'};
    uint8_t sel = size ? data[0] : 0;
    evm_csv_options_t o;
    evm_csv_options_init(&o);
    o.delimiter = delims[sel & 3];
    if (sel & 4) {
        o.where = where;
        o.n_where = 1;
    }
    if (sel & 8) {
        o.since = "2000";
        o.until = "2020-06";
    }
    if (sel & 16)
        o.max_field_bytes = 16;
    size_t chunk = 1 + (sel >> 5);

    evm_events_t *ev = NULL;
    evm_error_t err;
    evm_status st =
        evm_events_load_memory("fuzz.csv", data, size, &o, &ev, &err);
    uint64_t whole = digest(ev, st, &err);
    if (st == EVM_OK && evm_events_count(ev) > 0) {
        size_t index;
        evm_events_find(ev, evm_events_get(ev, 0)->name, &index, &err);
        evm_events_find(ev, "Pari", &index, &err);
    }
    evm_events_destroy(ev);

    ev = NULL;
    st = evm_events_load_chunked("fuzz.csv", data, size, chunk, &o, &ev, &err);
    if (digest(ev, st, &err) != whole)
        abort(); /* the result depends on how the input was cut */
    evm_events_destroy(ev);
    return 0;
}
