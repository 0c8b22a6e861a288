/* Distance tables: pairs, one place to all, the square matrix, and the
 * nearest points of a line set, as CSV, JSON or an aligned table.
 *
 * Each table is a header, a run of items (a pair, a matrix cell, a
 * place) and a footer. The items are formatted in worker threads by
 * evm_ordered_run and written in order, so the bytes are the same for
 * any number of threads; everything an item needs (its separator, the
 * start or end of a matrix row) follows from its index alone. Numbers
 * are printed in fixed point by integer arithmetic rather than printf,
 * which would otherwise cost more than the geodesic itself.
 *
 * The matrix measures each pair once (its two cells hold the same
 * number) and still writes its rows in order: a chunk is a run of rows,
 * which first measures its rows' pairs to the right of the diagonal and
 * files each under its column, then waits until every earlier chunk has
 * done the same, and formats its rows, the cells left of the diagonal
 * coming from the columns. A column is freed once its row is written, so
 * at most n^2 / 4 distances are held at once; beyond MATRIX_MEM_MAX the
 * matrix measures each cell again instead.
 *
 * The nearest points of a line set are measured first, for all places in
 * the order of a Hilbert curve over longitude and latitude, then written
 * in the places' order: one place after another, a thread searches the
 * same part of the line set's index, which stays in its cache. */
#define _DEFAULT_SOURCE /* sysconf(_SC_NPROCESSORS_ONLN) */

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <evmap/dist.h>

#include "batch/ordered.h"
#include "batch/text_out.h"
#include "core/context_internal.h"
#include "core/error.h"
#include "core/num.h"
#include "map/extent.h"

/* Items per chunk: large enough that locking is rare, small enough that
 * the chunks in flight stay small. */
#define PAIR_CHUNK 4096
/* Points a chunk measures to a line set, at most: enough that a chunk
 * works on one neighbourhood of the Hilbert order. */
#define NEAREST_CHUNK 512
/* Cells per chunk of matrix rows. */
#define MATRIX_CHUNK_CELLS 16384
/* The most memory the matrix's shared distances may take. */
#define MATRIX_MEM_MAX ((size_t)512 << 20)

void evm_dist_options_init(evm_dist_options_t *opt)
{
    opt->format = EVM_DIST_CSV;
    opt->units = EVM_UNITS_KM;
    opt->jobs = 0;
    opt->version = EVM_DIST_OPTIONS_VERSION;
    opt->worldview = NULL;
}

evm_status evm_dist_format_parse(const char *text, evm_dist_format *out)
{
    static const char *const names[] = {"csv", "json", "table"};
    for (int i = 0; i < 3; i++)
        if (text && strcmp(text, names[i]) == 0) {
            *out = (evm_dist_format)i;
            return EVM_OK;
        }
    return EVM_ERR_INVALID_ARG;
}

unsigned evm_dist_default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 256 ? 256 : (unsigned)n;
}

/* ---- formatting --------------------------------------------------------- */

/* v with `decimals` decimals, whatever the locale; "-" when not a
 * number. */
static void fixed_or_dash(char buf[EVM_NUM_MAX], double v, int decimals)
{
    if (!evm_num_fixed(buf, v, decimals, false))
        strcpy(buf, "-");
}

/* ---- jobs --------------------------------------------------------------- */

typedef enum job_kind { JOB_PAIRS, JOB_FROM, JOB_MATRIX, JOB_NEAREST } job_kind;

/* The matrix's distances measured once: col[j][i] = d(i, j) for i < j. */
typedef struct tri {
    double **col;
    size_t rows_per_chunk, n_chunks;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool *measured;  /* per chunk: its pairs are filed */
    size_t n_prefix; /* chunks [0, n_prefix) are all measured */
} tri_t;

/* A place's nearest point of a line set, and whether it is inside. */
typedef struct nearest_res {
    double dist_m, lat_deg, lon_deg;
    int inside; /* evm_lines_contains */
} nearest_res_t;

typedef struct job {
    job_kind kind;
    const evm_place_t *pl;
    size_t n, from;
    const evm_lines_t *lines;
    evm_dist_format format;
    double unit_m;
    const char *unit;
    int dist_dec;          /* decimals of a distance in CSV and JSON */
    size_t *row_start;     /* JOB_PAIRS: index of the first pair of row i */
    size_t name_w;         /* table: width of the name columns */
    const char *worldview; /* NULL: no worldview column */
    tri_t *tri;            /* JOB_MATRIX: NULL measures every cell */
    /* JOB_NEAREST: the answers in Hilbert order of the places, and each
     * place's rank in it. */
    nearest_res_t *res;
    const uint32_t *rank;
} job_t;

enum { DIST_W = 14, ANGLE_W = 8 };

/* One pair's row. */
static void put_pair(const job_t *J, size_t k, size_t i, size_t j, evm_buf_t *b)
{
    const evm_place_t *p = &J->pl[i], *q = &J->pl[j];
    double s12, azi1, azi2;
    geod_inverse(evm_wgs84(), p->lat_deg, p->lon_deg, q->lat_deg, q->lon_deg,
                 &s12, &azi1, &azi2);
    double d = s12 / J->unit_m;
    double b1 = evm_bearing_deg(azi1), b2 = evm_bearing_deg(azi2);
    switch (J->format) {
    case EVM_DIST_CSV:
        evm_out_csv(b, p->name);
        evm_buf_put(b, ",", 1);
        evm_out_csv(b, q->name);
        evm_buf_put(b, ",", 1);
        evm_out_fixed(b, d, J->dist_dec, "");
        evm_buf_put(b, ",", 1);
        evm_out_fixed(b, b1, 9, "");
        evm_buf_put(b, ",", 1);
        evm_out_fixed(b, b2, 9, "");
        evm_buf_put(b, "\n", 1);
        break;
    case EVM_DIST_JSON:
        evm_buf_puts(b, k ? ",\n  {\"from\": " : "  {\"from\": ");
        evm_json_string(b, p->name);
        evm_buf_puts(b, ", \"to\": ");
        evm_json_string(b, q->name);
        evm_buf_puts(b, ", \"distance_");
        evm_buf_puts(b, J->unit);
        evm_buf_puts(b, "\": ");
        evm_out_fixed(b, d, J->dist_dec, "null");
        evm_buf_puts(b, ", \"initial_bearing_deg\": ");
        evm_out_fixed(b, b1, 9, "null");
        evm_buf_puts(b, ", \"final_bearing_deg\": ");
        evm_out_fixed(b, b2, 9, "null");
        evm_buf_puts(b, "}");
        break;
    case EVM_DIST_TABLE: {
        char t[64], a1[EVM_NUM_MAX], a2[EVM_NUM_MAX];
        evm_num_thousands(d, J->unit_m == 1 ? 0 : 1, t, sizeof t);
        fixed_or_dash(a1, b1, 1);
        fixed_or_dash(a2, b2, 1);
        evm_out_left(b, p->name, J->name_w + 2);
        evm_out_left(b, q->name, J->name_w);
        evm_out_right(b, t, DIST_W);
        evm_out_right(b, a1, ANGLE_W + 1);
        evm_out_right(b, a2, ANGLE_W + 7);
        evm_buf_put(b, "\n", 1);
        break;
    }
    }
}

/* The row of pair k: rows start at row_start[i]. */
static size_t pair_row(const job_t *J, size_t k)
{
    size_t lo = 0, hi = J->n - 1; /* row_start[lo] <= k < row_start[hi] */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (J->row_start[mid] <= k)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* The distance of pair i < j. */
static double pair_m(const job_t *J, size_t i, size_t j)
{
    const evm_place_t *p = &J->pl[i], *q = &J->pl[j];
    double s12;
    geod_inverse(evm_wgs84(), p->lat_deg, p->lon_deg, q->lat_deg, q->lon_deg,
                 &s12, NULL, NULL);
    return s12;
}

/* Cell (i, j) of the matrix, s12 metres. The pair is always measured
 * in the order above the diagonal, so the matrix is exactly symmetric. */
static void put_matrix_cell(const job_t *J, size_t i, size_t j, double s12,
                            evm_buf_t *b)
{
    size_t n = J->n;
    double d = s12 / J->unit_m;
    switch (J->format) {
    case EVM_DIST_CSV:
        if (j == 0)
            evm_out_csv(b, J->pl[i].name);
        evm_buf_put(b, ",", 1);
        evm_out_fixed(b, d, J->dist_dec, "");
        if (j + 1 == n)
            evm_buf_put(b, "\n", 1);
        break;
    case EVM_DIST_JSON:
        if (j == 0)
            evm_buf_puts(b, i ? ",\n    [" : "    [");
        else
            evm_buf_puts(b, ", ");
        evm_out_fixed(b, d, J->dist_dec, "null");
        if (j + 1 == n)
            evm_buf_puts(b, "]");
        break;
    case EVM_DIST_TABLE: {
        char t[64];
        if (j == 0)
            evm_out_left(b, J->pl[i].name, J->name_w);
        evm_num_thousands(d, J->unit_m == 1 ? 0 : 1, t, sizeof t);
        evm_out_right(b, t, DIST_W);
        if (j + 1 == n)
            evm_buf_put(b, "\n", 1);
        break;
    }
    }
}

static void put_nearest(const job_t *J, size_t k, evm_buf_t *b)
{
    const evm_place_t *p = &J->pl[k];
    const nearest_res_t *nr = &J->res[J->rank[k]];
    int in = nr->inside;
    double d = nr->dist_m / J->unit_m;
    const char *name = evm_lines_name(J->lines);
    switch (J->format) {
    case EVM_DIST_CSV:
        evm_out_csv(b, p->name);
        evm_buf_put(b, ",", 1);
        evm_out_csv(b, name);
        evm_buf_put(b, ",", 1);
        evm_out_fixed(b, d, J->dist_dec, "");
        evm_buf_put(b, ",", 1);
        evm_out_fixed(b, nr->lat_deg, 9, "");
        evm_buf_put(b, ",", 1);
        evm_out_fixed(b, nr->lon_deg, 9, "");
        if (in >= 0)
            evm_buf_puts(b, in ? ",true" : ",false");
        if (in >= 0 && J->worldview) {
            evm_buf_put(b, ",", 1);
            evm_out_csv(b, J->worldview);
        }
        evm_buf_put(b, "\n", 1);
        break;
    case EVM_DIST_JSON:
        evm_buf_puts(b, k ? ",\n  {\"event\": " : "  {\"event\": ");
        evm_json_string(b, p->name);
        evm_buf_puts(b, in >= 0 ? ", \"country\": " : ", \"line\": ");
        evm_json_string(b, name);
        evm_buf_puts(b, ", \"distance_");
        evm_buf_puts(b, J->unit);
        evm_buf_puts(b, "\": ");
        evm_out_fixed(b, d, J->dist_dec, "null");
        evm_buf_puts(b, ", \"nearest_lat\": ");
        evm_out_fixed(b, nr->lat_deg, 9, "null");
        evm_buf_puts(b, ", \"nearest_lon\": ");
        evm_out_fixed(b, nr->lon_deg, 9, "null");
        if (in >= 0)
            evm_buf_puts(b, in ? ", \"inside\": true" : ", \"inside\": false");
        if (in >= 0 && J->worldview) {
            evm_buf_puts(b, ", \"worldview\": ");
            evm_json_string(b, J->worldview);
        }
        evm_buf_puts(b, "}");
        break;
    case EVM_DIST_TABLE: {
        char t[64] = "-", la[EVM_NUM_MAX] = "-", lo[EVM_NUM_MAX] = "-";
        if (!isnan(d)) {
            evm_num_thousands(d, J->unit_m == 1 ? 0 : 1, t, sizeof t);
            fixed_or_dash(la, nr->lat_deg, 4);
            fixed_or_dash(lo, nr->lon_deg, 4);
        }
        evm_out_left(b, p->name, J->name_w);
        evm_out_right(b, t, DIST_W);
        evm_out_right(b, la, 13);
        evm_out_right(b, lo, 13);
        if (in >= 0)
            evm_buf_puts(b, in ? "  yes   " : "  no    ");
        if (in >= 0 && J->worldview) {
            evm_buf_puts(b, "  ");
            evm_buf_puts(b, J->worldview);
        }
        evm_buf_put(b, "\n", 1);
        break;
    }
    }
}

/* Measures the pairs right of the diagonal of rows [begin, end) into
 * right (row i - begin, column j) and into their columns, then waits
 * until every earlier chunk has done so: the cells left of the diagonal
 * are then all filed. A later chunk may free its columns before this one
 * is written, so a chunk reads its own right half from right. */
static void matrix_measure(const job_t *J, size_t begin, size_t end,
                           double *right)
{
    tri_t *t = J->tri;
    for (size_t i = begin; i < end; i++)
        for (size_t j = i + 1; j < J->n; j++)
            right[(i - begin) * J->n + j] = t->col[j][i] = pair_m(J, i, j);
    size_t c = begin / t->rows_per_chunk;
    pthread_mutex_lock(&t->mu);
    t->measured[c] = true;
    while (t->n_prefix < t->n_chunks && t->measured[t->n_prefix])
        t->n_prefix++;
    pthread_cond_broadcast(&t->cv);
    /* Earlier chunks were claimed first and wait for nothing before
     * they are measured. */
    while (t->n_prefix < c)
        pthread_cond_wait(&t->cv, &t->mu);
    pthread_mutex_unlock(&t->mu);
}

/* Rows [begin, end) of the matrix. */
static evm_status matrix_rows(const job_t *J, size_t begin, size_t end,
                              evm_buf_t *out, evm_error_t *err)
{
    size_t n = J->n;
    double *right = NULL;
    if (J->tri) {
        right = evm_alloc_array((end - begin) * n, sizeof *right);
        if (!right)
            return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0,
                                 "out of memory measuring the matrix");
        matrix_measure(J, begin, end, right);
    }
    for (size_t i = begin; i < end; i++)
        for (size_t j = 0; j < n; j++) {
            double s12 = i == j   ? 0
                         : !right ? pair_m(J, i < j ? i : j, i < j ? j : i)
                         : j > i  ? right[(i - begin) * n + j]
                                  : J->tri->col[i][j];
            put_matrix_cell(J, i, j, s12, out);
        }
    if (J->tri)
        for (size_t i = begin; i < end; i++) {
            free(J->tri->col[i]);
            J->tri->col[i] = NULL;
        }
    free(right);
    return EVM_OK;
}

static evm_status make_chunk(void *closure, size_t begin, size_t end,
                             evm_buf_t *out, evm_error_t *err)
{
    const job_t *J = closure;
    switch (J->kind) {
    case JOB_PAIRS: {
        size_t i = pair_row(J, begin);
        size_t j = i + 1 + (begin - J->row_start[i]);
        for (size_t k = begin; k < end; k++) {
            put_pair(J, k, i, j, out);
            if (++j == J->n) {
                i++;
                j = i + 1;
            }
        }
        break;
    }
    case JOB_FROM:
        for (size_t k = begin; k < end; k++)
            put_pair(J, k, J->from, k < J->from ? k : k + 1, out);
        break;
    case JOB_MATRIX:
        return matrix_rows(J, begin, end, out, err);
    case JOB_NEAREST:
        for (size_t k = begin; k < end; k++)
            put_nearest(J, k, out);
        break;
    }
    return EVM_OK;
}

/* ---- headers and the run ------------------------------------------------ */

static void put_header(const job_t *J, evm_buf_t *b)
{
    char col[64];
    snprintf(col, sizeof col, "distance_%s", J->unit);
    bool area =
        J->kind == JOB_NEAREST && evm_lines_contains(J->lines, 0, 0) >= 0;
    switch (J->format) {
    case EVM_DIST_CSV:
        if (J->kind == JOB_MATRIX) {
            evm_buf_puts(b, "from");
            for (size_t i = 0; i < J->n; i++) {
                evm_buf_put(b, ",", 1);
                evm_out_csv(b, J->pl[i].name);
            }
            evm_buf_put(b, "\n", 1);
        } else if (J->kind == JOB_NEAREST) {
            evm_buf_puts(b, area ? "event,country," : "event,line,");
            evm_buf_puts(b, col);
            evm_buf_puts(b, area ? ",nearest_lat,nearest_lon,inside"
                                 : ",nearest_lat,nearest_lon");
            evm_buf_puts(b, area && J->worldview ? ",worldview\n" : "\n");
        } else {
            evm_buf_puts(b, "from,to,");
            evm_buf_puts(b, col);
            evm_buf_puts(b, ",initial_bearing_deg,final_bearing_deg\n");
        }
        break;
    case EVM_DIST_JSON:
        if (J->kind == JOB_MATRIX) {
            evm_buf_puts(b, "{\n  \"units\": ");
            evm_json_string(b, J->unit);
            evm_buf_puts(b, ",\n  \"names\": [");
            for (size_t i = 0; i < J->n; i++) {
                if (i)
                    evm_buf_puts(b, ", ");
                evm_json_string(b, J->pl[i].name);
            }
            evm_buf_puts(b, "],\n  \"distances\": [\n");
        } else {
            evm_buf_puts(b, "[\n");
        }
        break;
    case EVM_DIST_TABLE: {
        char unit_col[64];
        snprintf(unit_col, sizeof unit_col, "distance (%s)", J->unit);
        if (J->kind == JOB_MATRIX) {
            evm_out_left(b, "", J->name_w);
            for (size_t i = 0; i < J->n; i++) {
                /* Names longer than a column are cut to fit. */
                char cut[DIST_W];
                snprintf(cut, sizeof cut, "%s", J->pl[i].name);
                while (evm_display_width(cut) > DIST_W - 2) {
                    size_t l = strlen(cut);
                    do
                        l--;
                    while (l > 0 && ((unsigned char)cut[l] & 0xC0) == 0x80);
                    cut[l] = '\0';
                }
                evm_out_right(b, cut, DIST_W);
            }
            evm_buf_puts(b, "\n");
        } else if (J->kind == JOB_NEAREST) {
            evm_out_left(b, "event", J->name_w);
            evm_out_right(b, unit_col, DIST_W);
            evm_out_right(b, "nearest lat", 13);
            evm_out_right(b, "nearest lon", 13);
            if (area)
                evm_buf_puts(b, "  inside");
            if (area && J->worldview)
                evm_buf_puts(b, "  worldview");
            evm_buf_puts(b, "\n");
        } else {
            evm_out_left(b, "from", J->name_w + 2);
            evm_out_left(b, "to", J->name_w);
            evm_out_right(b, unit_col, DIST_W);
            evm_out_right(b, "bearing", ANGLE_W + 1);
            evm_out_right(b, "final bearing", ANGLE_W + 7);
            evm_buf_puts(b, "\n");
        }
        break;
    }
    }
}

static void put_footer(const job_t *J, size_t n_items, evm_buf_t *b)
{
    if (J->format != EVM_DIST_JSON)
        return;
    if (J->kind == JOB_MATRIX)
        evm_buf_puts(b, n_items ? "\n  ]\n}\n" : "  ]\n}\n");
    else
        evm_buf_puts(b, n_items ? "\n]\n" : "]\n");
}

static evm_status write_buf(evm_buf_t *b, evm_write_fn write, void *closure,
                            evm_error_t *err)
{
    if (b->nomem)
        return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory formatting output");
    if (b->len && write(closure, (const unsigned char *)b->data, b->len))
        return evm_error_set(err, EVM_ERR_IO, NULL, 0, 0,
                             "could not write the output");
    return EVM_OK;
}

/* The index of cell (x, y) along the Hilbert curve over 2^16 by 2^16
 * cells: cells near each other along it are near each other on the
 * grid. */
static uint32_t hilbert_index(uint32_t x, uint32_t y)
{
    const uint32_t n = 1u << 16;
    uint32_t d = 0;
    for (uint32_t s = n / 2; s > 0; s /= 2) {
        uint32_t rx = (x & s) > 0, ry = (y & s) > 0;
        d += s * s * ((3 * rx) ^ ry);
        if (ry == 0) {
            if (rx == 1) {
                x = n - 1 - x;
                y = n - 1 - y;
            }
            uint32_t t = x;
            x = y;
            y = t;
        }
    }
    return d;
}

/* The place's cell on a grid of longitude and latitude. */
static uint32_t place_key(const evm_place_t *p)
{
    double x = (p->lon_deg + 180) / 360, y = (p->lat_deg + 90) / 180;
    if (!(isfinite(x) && y >= 0 && y <= 1))
        return 0;
    x -= floor(x);
    return hilbert_index((uint32_t)(x * 65535), (uint32_t)(y * 65535));
}

/* The places in the order of their keys: a radix sort, 16 bits at a
 * time, stable, so equal keys keep their input order. NULL when out of
 * memory. */
static uint32_t *hilbert_order(const evm_place_t *pl, size_t n)
{
    uint32_t *key = evm_alloc_array(n ? n : 1, sizeof *key);
    uint32_t *ord = evm_alloc_array(n ? n : 1, sizeof *ord);
    uint32_t *tmp = evm_alloc_array(n ? n : 1, sizeof *tmp);
    size_t *count = calloc((size_t)1 << 16, sizeof *count);
    if (!key || !ord || !tmp || !count) {
        free(ord);
        ord = NULL;
        goto done;
    }
    for (size_t i = 0; i < n; i++) {
        key[i] = place_key(&pl[i]);
        ord[i] = (uint32_t)i;
    }
    for (int shift = 0; shift < 32; shift += 16) {
        memset(count, 0, ((size_t)1 << 16) * sizeof *count);
        for (size_t i = 0; i < n; i++)
            count[(key[ord[i]] >> shift) & 0xFFFF]++;
        size_t at = 0;
        for (size_t c = 0; c < (size_t)1 << 16; c++) {
            size_t k = count[c];
            count[c] = at;
            at += k;
        }
        for (size_t i = 0; i < n; i++)
            tmp[count[(key[ord[i]] >> shift) & 0xFFFF]++] = ord[i];
        uint32_t *t = ord;
        ord = tmp;
        tmp = t;
    }
done:
    free(key);
    free(tmp);
    free(count);
    return ord;
}

/* Measures places [begin, end) of the Hilbert order, whose answers hold
 * their coordinates until then: neighbours one after the other, so that
 * the search walks the same part of the boundary's index from one place
 * to the next. Writes no bytes. */
static evm_status measure_nearest(void *closure, size_t begin, size_t end,
                                  evm_buf_t *out, evm_error_t *err)
{
    const job_t *J = closure;
    (void)out;
    (void)err;
    for (size_t i = begin; i < end; i++) {
        nearest_res_t *r = &J->res[i];
        double lat = r->lat_deg, lon = r->lon_deg;
        evm_nearest_t nr;
        evm_lines_nearest(J->lines, lat, lon, &nr);
        *r = (nearest_res_t){nr.dist_m, nr.lat_deg, nr.lon_deg,
                             evm_lines_contains(J->lines, lat, lon)};
    }
    return EVM_OK;
}

static evm_status run(job_t *J, size_t n_items, size_t chunk,
                      const evm_dist_options_t *opt, evm_write_fn write,
                      void *closure, evm_error_t *err)
{
    evm_dist_options_t defaults;
    if (!opt) {
        evm_dist_options_init(&defaults);
        opt = &defaults;
    }
    if (evm_options_check(opt->version, EVM_DIST_OPTIONS_VERSION,
                          "evm_dist_options", err))
        return EVM_ERR_INVALID_ARG;
    if (!write)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "no write callback");
    if ((unsigned)opt->format > EVM_DIST_TABLE ||
        (unsigned)opt->units > EVM_UNITS_M)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "unknown output format or units");
    for (size_t i = 0; i < J->n; i++)
        if (!J->pl[i].name)
            return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                                 "place %zu has no name", i + 1);
    J->format = opt->format;
    /* Version 1 callers have no worldview field. */
    J->worldview = opt->version >= 2 ? opt->worldview : NULL;
    J->unit_m = evm_units_metres(opt->units);
    J->unit = evm_units_name(opt->units);
    /* 1 um: 1e-9 km, 1e-6 m; a mile is 1609 m, a nautical mile 1852. */
    J->dist_dec = opt->units == EVM_UNITS_M ? 6 : 9;
    J->name_w = 4;
    for (size_t i = 0; i < J->n; i++) {
        size_t w = evm_display_width(J->pl[i].name);
        J->name_w = w > J->name_w ? w : J->name_w;
    }
    if (J->name_w > 40)
        J->name_w = 40;
    unsigned jobs = opt->jobs ? opt->jobs : evm_dist_default_jobs();

    evm_status st = EVM_OK;
    if (J->kind == JOB_NEAREST) {
        /* All places are measured first, in Hilbert order (chunks of
         * neighbours, a few per thread at least), then written in their
         * own order. */
        size_t per = n_items / (8 * (size_t)jobs) + 1;
        st = evm_ordered_run(n_items, per < NEAREST_CHUNK ? per : NEAREST_CHUNK,
                             jobs, measure_nearest, J, write, closure, err);
        if (st)
            return st;
    }
    evm_buf_t b = {0};
    put_header(J, &b);
    st = write_buf(&b, write, closure, err);
    if (!st)
        st = evm_ordered_run(n_items, chunk, jobs, make_chunk, J, write,
                             closure, err);
    if (!st) {
        b.len = 0;
        put_footer(J, n_items, &b);
        st = write_buf(&b, write, closure, err);
    }
    evm_buf_free(&b);
    return st;
}

evm_status evm_dist_write_pairs(const evm_place_t *places, size_t n,
                                const evm_dist_options_t *opt,
                                evm_write_fn write, void *closure,
                                evm_error_t *err)
{
    if (!places && n)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0, "no places");
    job_t J = {.kind = JOB_PAIRS, .pl = places, .n = n};
    size_t n_pairs = n ? n * (n - 1) / 2 : 0;
    if (n && (n - 1) > SIZE_MAX / n)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "too many places (%zu)", n);
    J.row_start = evm_alloc_array(n + 1, sizeof *J.row_start);
    if (!J.row_start)
        return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0, "out of memory");
    J.row_start[0] = 0;
    for (size_t i = 0; i < n; i++)
        J.row_start[i + 1] = J.row_start[i] + (n - 1 - i);
    evm_status st = run(&J, n_pairs, PAIR_CHUNK, opt, write, closure, err);
    free(J.row_start);
    return st;
}

evm_status evm_dist_write_from(const evm_place_t *places, size_t n, size_t from,
                               const evm_dist_options_t *opt,
                               evm_write_fn write, void *closure,
                               evm_error_t *err)
{
    if (!places || from >= n)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "no place %zu among %zu", from + 1, n);
    job_t J = {.kind = JOB_FROM, .pl = places, .n = n, .from = from};
    return run(&J, n - 1, PAIR_CHUNK, opt, write, closure, err);
}

evm_status evm_dist_write_matrix(const evm_place_t *places, size_t n,
                                 const evm_dist_options_t *opt,
                                 evm_write_fn write, void *closure,
                                 evm_error_t *err)
{
    if ((!places && n) || (n && n > SIZE_MAX / n))
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "no places, or too many");
    job_t J = {.kind = JOB_MATRIX, .pl = places, .n = n};
    size_t rows = n ? MATRIX_CHUNK_CELLS / n : 1;
    rows = rows ? rows : 1;
    tri_t t = {.rows_per_chunk = rows};
    size_t cells = n ? n / 2 * (n - 1) + (n % 2) * ((n - 1) / 2) : 0;
    if (n > 1 && cells <= MATRIX_MEM_MAX / sizeof(double)) {
        t.n_chunks = n / rows + (n % rows != 0);
        t.col = calloc(n, sizeof *t.col);
        t.measured = calloc(t.n_chunks, sizeof *t.measured);
        bool ok = t.col && t.measured;
        for (size_t j = 1; ok && j < n; j++)
            ok = (t.col[j] = evm_alloc_array(j, sizeof **t.col)) != NULL;
        if (ok) {
            pthread_mutex_init(&t.mu, NULL);
            pthread_cond_init(&t.cv, NULL);
            J.tri = &t;
        }
    }
    evm_status st = run(&J, n, rows, opt, write, closure, err);
    if (J.tri) {
        pthread_mutex_destroy(&t.mu);
        pthread_cond_destroy(&t.cv);
    }
    for (size_t j = 0; t.col && j < n; j++)
        free(t.col[j]);
    free(t.col);
    free(t.measured);
    return st;
}

evm_status evm_dist_write_nearest(const evm_place_t *places, size_t n,
                                  const evm_lines_t *lines,
                                  const evm_dist_options_t *opt,
                                  evm_write_fn write, void *closure,
                                  evm_error_t *err)
{
    if ((!places && n) || !lines)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "no places or no lines");
    if (n > UINT32_MAX)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "too many places (%zu)", n);
    job_t J = {.kind = JOB_NEAREST, .pl = places, .n = n, .lines = lines};
    uint32_t *order = hilbert_order(places, n);
    uint32_t *rank = evm_alloc_array(n ? n : 1, sizeof *rank);
    J.res = evm_alloc_array(n ? n : 1, sizeof *J.res);
    if (!order || !rank || !J.res) {
        free(order);
        free(rank);
        free(J.res);
        return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory ordering %zu places", n);
    }
    /* The coordinates in that order, gathered in one tight loop, whose
     * cache misses overlap, rather than one at a time by the search. */
    for (size_t i = 0; i < n; i++) {
        const evm_place_t *p = &places[order[i]];
        J.res[i] = (nearest_res_t){NAN, p->lat_deg, p->lon_deg, 0};
        rank[order[i]] = (uint32_t)i;
    }
    free(order);
    J.rank = rank;
    evm_status st = run(&J, n, PAIR_CHUNK, opt, write, closure, err);
    free(rank);
    free(J.res);
    return st;
}
