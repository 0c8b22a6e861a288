/* The packed base map format (layout in packed.h): writing, and reading
 * into one block that the struct's arrays point into: a private mapping
 * of the file, or a copy where the file cannot be mapped.
 *
 * Reading trusts nothing: the counts must describe exactly the file's
 * length, every offset array must start at 0, grow and end at its count,
 * every index must be in range, every string must end inside the string
 * table and every coordinate must be a finite longitude/latitude. Only
 * then are pointers set, so a truncated or corrupt file is a parse error
 * and never an out-of-bounds read later. */
#define _POSIX_C_SOURCE 200809L /* fileno, mmap */

#include "load/packed.h"

#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "core/error.h"
#include "load/basemap_internal.h"
#include "load/basemap_io.h"

/* The arrays are used in place: doubles and offsets are 8 bytes in the
 * file, and every section starts on an 8-byte boundary of a malloc'd or
 * page-aligned block. */
static_assert(sizeof(double) == 8, "IEEE binary64 doubles");
static_assert(sizeof(evm_llbox_t) == 4 * sizeof(double), "unpadded boxes");
static_assert(sizeof(size_t) <= 8, "offsets fit in place");
static_assert(_Alignof(size_t) <= 8 && _Alignof(double) <= 8 &&
                  _Alignof(char *) <= 8 && _Alignof(int32_t) <= 4,
              "8-byte section alignment suffices");

enum { PK_HEADER = 64 };

enum pk_section {
    PK_ARC_OFF,
    PK_ARC_PTS,
    PK_ARC_BOX,
    PK_ARC_CLASS,
    PK_ARC_LEFT,
    PK_ARC_RIGHT,
    PK_RING_OFF,
    PK_RING_PTS,
    PK_RING_BOX,
    PK_RING_COUNTRY,
    PK_COUNTRY_RING_OFF,
    PK_NAME_OFF,
    PK_ID_OFF,
    PK_STRINGS,
    PK_SECTIONS
};

/* Counts from the header and where each section lies, in bytes. */
typedef struct pk_layout {
    uint64_t n_arcs, n_arc_pts, n_rings, n_ring_pts, n_countries, n_str;
    size_t off[PK_SECTIONS];
    size_t bytes[PK_SECTIONS]; /* without padding */
    size_t total;
} pk_layout_t;

static int pk_host_le(void)
{
    const union {
        uint32_t u;
        unsigned char c[4];
    } probe = {1};
    return probe.c[0] == 1;
}

static uint32_t pk_rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint64_t pk_rd64(const unsigned char *p)
{
    return (uint64_t)pk_rd32(p) | (uint64_t)pk_rd32(p + 4) << 32;
}

static void pk_wr32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static void pk_wr64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static void pk_wr_doubles(unsigned char *p, const double *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t bits;
        memcpy(&bits, &v[i], sizeof bits);
        pk_wr64(p + 8 * i, bits);
    }
}

static void pk_wr_offsets(unsigned char *p, const size_t *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        pk_wr64(p + 8 * i, (uint64_t)v[i]);
}

/* Computes the section offsets from the counts; -1 when the file they
 * describe would be larger than limit bytes (or overflow). */
static int pk_layout(pk_layout_t *L, uint64_t limit)
{
    const struct {
        uint64_t count;
        unsigned extra, size;
    } spec[PK_SECTIONS] = {
        [PK_ARC_OFF] = {L->n_arcs, 1, 8},
        [PK_ARC_PTS] = {L->n_arc_pts, 0, 16},
        [PK_ARC_BOX] = {L->n_arcs, 0, 32},
        [PK_ARC_CLASS] = {L->n_arcs, 0, 1},
        [PK_ARC_LEFT] = {L->n_arcs, 0, 4},
        [PK_ARC_RIGHT] = {L->n_arcs, 0, 4},
        [PK_RING_OFF] = {L->n_rings, 1, 8},
        [PK_RING_PTS] = {L->n_ring_pts, 0, 16},
        [PK_RING_BOX] = {L->n_rings, 0, 32},
        [PK_RING_COUNTRY] = {L->n_rings, 0, 4},
        [PK_COUNTRY_RING_OFF] = {L->n_countries, 1, 8},
        [PK_NAME_OFF] = {L->n_countries, 0, 4},
        [PK_ID_OFF] = {L->n_countries, 0, 4},
        [PK_STRINGS] = {L->n_str, 0, 1},
    };
    /* With every count at most limit <= 2^56, no product below wraps. */
    if (limit > SIZE_MAX)
        limit = SIZE_MAX;
    if (limit > (uint64_t)1 << 56)
        limit = (uint64_t)1 << 56;
    uint64_t pos = PK_HEADER;
    if (pos > limit)
        return -1;
    for (int i = 0; i < PK_SECTIONS; i++) {
        if (spec[i].count > limit)
            return -1;
        uint64_t bytes = (spec[i].count + spec[i].extra) * spec[i].size;
        uint64_t padded = (bytes + 7) & ~(uint64_t)7;
        if (padded > limit - pos)
            return -1;
        L->off[i] = (size_t)pos;
        L->bytes[i] = (size_t)bytes;
        pos += padded;
    }
    L->total = (size_t)pos;
    return 0;
}

int evm_packed_has_magic(const void *data, size_t len)
{
    return data && len >= EVM_PACKED_MAGIC_LEN &&
           memcmp(data, EVM_PACKED_MAGIC, EVM_PACKED_MAGIC_LEN) == 0;
}

evm_status evm_packed_encode(const evm_basemap_t *m, unsigned char **out,
                             size_t *out_len, evm_error_t *err)
{
    if (!m || !out || !out_len)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "no base map or no output");
    *out = NULL;
    *out_len = 0;
    pk_layout_t L = {.n_arcs = m->n_arcs,
                     .n_arc_pts = m->arc_off[m->n_arcs],
                     .n_rings = m->n_rings,
                     .n_ring_pts = m->ring_off[m->n_rings],
                     .n_countries = m->n_countries};
    for (size_t c = 0; c < m->n_countries; c++)
        L.n_str += strlen(m->country_name[c]) + strlen(m->country_id[c]) + 2;
    /* String offsets are u32. */
    if (L.n_str > UINT32_MAX || pk_layout(&L, SIZE_MAX) != 0)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, NULL, 0, 0,
                             "base map too large to pack");
    unsigned char *b = calloc(1, L.total);
    if (!b)
        return evm_error_set(err, EVM_ERR_NOMEM, NULL, 0, 0,
                             "out of memory packing the base map");

    memcpy(b, EVM_PACKED_MAGIC, EVM_PACKED_MAGIC_LEN);
    pk_wr32(b + 8, EVM_PACKED_VERSION);
    pk_wr32(b + 12, PK_HEADER);
    pk_wr64(b + 16, L.n_arcs);
    pk_wr64(b + 24, L.n_arc_pts);
    pk_wr64(b + 32, L.n_rings);
    pk_wr64(b + 40, L.n_ring_pts);
    pk_wr64(b + 48, L.n_countries);
    pk_wr64(b + 56, L.n_str);

    pk_wr_offsets(b + L.off[PK_ARC_OFF], m->arc_off, m->n_arcs + 1);
    pk_wr_doubles(b + L.off[PK_ARC_PTS], m->arc_pts, 2 * L.n_arc_pts);
    /* A layer may have no arcs (lakes, disputed areas): its box and class
     * arrays may then be NULL, and nothing of them is read. */
    if (m->n_arcs) {
        pk_wr_doubles(b + L.off[PK_ARC_BOX], &m->arc_box[0].w, 4 * m->n_arcs);
        memcpy(b + L.off[PK_ARC_CLASS], m->arc_class, m->n_arcs);
    }
    for (size_t a = 0; a < m->n_arcs; a++) {
        pk_wr32(b + L.off[PK_ARC_LEFT] + 4 * a, (uint32_t)m->arc_left[a]);
        pk_wr32(b + L.off[PK_ARC_RIGHT] + 4 * a, (uint32_t)m->arc_right[a]);
    }
    pk_wr_offsets(b + L.off[PK_RING_OFF], m->ring_off, m->n_rings + 1);
    pk_wr_doubles(b + L.off[PK_RING_PTS], m->ring_pts, 2 * L.n_ring_pts);
    if (m->n_rings)
        pk_wr_doubles(b + L.off[PK_RING_BOX], &m->ring_box[0].w,
                      4 * m->n_rings);
    for (size_t r = 0; r < m->n_rings; r++)
        pk_wr32(b + L.off[PK_RING_COUNTRY] + 4 * r, m->ring_country[r]);
    pk_wr_offsets(b + L.off[PK_COUNTRY_RING_OFF], m->country_ring_off,
                  m->n_countries + 1);
    size_t s = 0;
    unsigned char *str = b + L.off[PK_STRINGS];
    for (size_t c = 0; c < m->n_countries; c++) {
        size_t n = strlen(m->country_name[c]) + 1;
        pk_wr32(b + L.off[PK_NAME_OFF] + 4 * c, (uint32_t)s);
        memcpy(str + s, m->country_name[c], n);
        s += n;
        n = strlen(m->country_id[c]) + 1;
        pk_wr32(b + L.off[PK_ID_OFF] + 4 * c, (uint32_t)s);
        memcpy(str + s, m->country_id[c], n);
        s += n;
    }
    *out = b;
    *out_len = L.total;
    return EVM_OK;
}

static evm_status pk_fail(evm_error_t *err, const char *name, const char *fmt,
                          ...) EVM_PRINTF(3, 4);

static evm_status pk_fail(evm_error_t *err, const char *name, const char *fmt,
                          ...)
{
    char msg[EVM_ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return evm_error_set(err, EVM_ERR_PARSE, name, 0, 0, "%s", msg);
}

/* Reads the header of a file of len bytes into L and checks that it
 * describes exactly len bytes. */
static evm_status pk_header(const unsigned char *h, size_t len,
                            const char *name, pk_layout_t *L, evm_error_t *err)
{
    if (!evm_packed_has_magic(h, len))
        return pk_fail(err, name, "not a packed base map (bad magic)");
    if (len < PK_HEADER)
        return pk_fail(err, name,
                       "truncated packed base map: %zu bytes, shorter than "
                       "its %d-byte header",
                       len, PK_HEADER);
    uint32_t version = pk_rd32(h + 8), hsize = pk_rd32(h + 12);
    if (version != EVM_PACKED_VERSION)
        return pk_fail(err, name,
                       "packed base map version %lu, this evmap reads "
                       "version %d (rebuild it with evmap-geopack)",
                       (unsigned long)version, EVM_PACKED_VERSION);
    if (hsize != PK_HEADER)
        return pk_fail(err, name, "packed header size %lu, expected %d",
                       (unsigned long)hsize, PK_HEADER);
    *L = (pk_layout_t){.n_arcs = pk_rd64(h + 16),
                       .n_arc_pts = pk_rd64(h + 24),
                       .n_rings = pk_rd64(h + 32),
                       .n_ring_pts = pk_rd64(h + 40),
                       .n_countries = pk_rd64(h + 48),
                       .n_str = pk_rd64(h + 56)};
    if (pk_layout(L, len) != 0 || L->total != len)
        return pk_fail(err, name,
                       "packed base map is %zu bytes, not the size its "
                       "header describes (truncated or corrupt)",
                       len);
    if (L->n_countries > INT32_MAX)
        return pk_fail(err, name, "too many countries");
    return EVM_OK;
}

/* Converts n little-endian u64 offsets at p into size_t in place (the
 * writes never overtake the reads, as sizeof(size_t) <= 8) and checks that
 * they start at 0, grow by at least min_step each and end at last. Where
 * the file's words already are the host's size_t nothing is written, so
 * that the pages of a mapped file stay shared with the page cache. */
static int pk_offsets(unsigned char *p, size_t n, uint64_t min_step,
                      uint64_t last, size_t **out)
{
    size_t *dst = (size_t *)(void *)p;
    const int same = sizeof(size_t) == 8 && pk_host_le();
    uint64_t prev = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t v = pk_rd64(p + 8 * i);
        if (i == 0 ? v != 0 : (v < prev || v - prev < min_step))
            return -1;
        if (v > last)
            return -1;
        if (!same)
            dst[i] = (size_t)v; /* v <= last <= the file size: it fits */
        prev = v;
    }
    *out = dst;
    return prev == last ? 0 : -1;
}

/* Byte-swaps n words of size bytes in place on a big-endian host, so
 * that the little-endian file reads as native values. */
static void pk_native(unsigned char *p, size_t n, size_t size)
{
    if (pk_host_le())
        return;
    for (size_t i = 0; i < n; i++, p += size) {
        for (size_t j = 0; j < size / 2; j++) {
            unsigned char t = p[j];
            p[j] = p[size - 1 - j];
            p[size - 1 - j] = t;
        }
    }
}

/* Whether n lon/lat pairs are finite and in range. One pass without
 * early exit, which the compiler can vectorise: 10m has a million. */
static int pk_points_ok(const double *p, size_t n)
{
    const double lon_max = 180.0 + EVM_BASEMAP_DEG_SLACK;
    const double lat_max = 90.0 + EVM_BASEMAP_DEG_SLACK;
    int ok = 1;
    for (size_t i = 0; i < n; i++)
        ok &= (fabs(p[2 * i]) <= lon_max) & (fabs(p[2 * i + 1]) <= lat_max);
    return ok;
}

static int pk_boxes_ok(const evm_llbox_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        /* Also false for NaN. */
        if (!(b[i].w <= b[i].e && b[i].s <= b[i].n))
            return 0;
    }
    return n == 0 || pk_points_ok(&b[0].w, 2 * n);
}

/* The padding after each section is zero, so that one map has exactly
 * one packed form. */
static int pk_padding_ok(const unsigned char *b, const pk_layout_t *L)
{
    for (int i = 0; i < PK_SECTIONS; i++) {
        size_t end = L->off[i] + L->bytes[i];
        size_t next = i + 1 < PK_SECTIONS ? L->off[i + 1] : L->total;
        for (size_t j = end; j < next; j++) {
            if (b[j])
                return 0;
        }
    }
    return 1;
}

/* Frees a packed image's block: a private mapping of `mapped` bytes, or
 * malloc'd when mapped is 0. */
static void pk_block_free(void *block, size_t mapped)
{
    if (mapped)
        munmap(block, mapped);
    else
        free(block);
}

/* Frees the block of a map read from a packed image and its string
 * pointers (evm_basemap_destroy). */
void evm_packed_release(evm_basemap_t *m)
{
    pk_block_free(m->block, m->block_mapped);
    free(m->country_name);
}

/* Validates the image in block (L->total bytes: malloc'd, or a private
 * mapping of that length when mapped is non-zero) and points a new map
 * into it. Takes block: it is released on failure. */
static evm_status pk_adopt(unsigned char *block, size_t mapped,
                           const pk_layout_t *L, const char *name,
                           evm_basemap_t **out, evm_error_t *err)
{
    const char *what = NULL;
    evm_basemap_t *m = calloc(1, sizeof *m);
    char **names = evm_alloc_array((size_t)L->n_countries, 2 * sizeof(char *));
    if (!m || !names) {
        free(m);
        free(names);
        pk_block_free(block, mapped);
        return evm_error_set(err, EVM_ERR_NOMEM, name, 0, 0,
                             "out of memory reading the packed base map");
    }
    m->block = block;
    m->block_mapped = mapped;
    m->country_name = names;
    m->n_arcs = (size_t)L->n_arcs;
    m->n_rings = (size_t)L->n_rings;
    m->n_countries = (size_t)L->n_countries;
    const size_t n_arc_pts = (size_t)L->n_arc_pts;
    const size_t n_ring_pts = (size_t)L->n_ring_pts;
    const size_t n_str = (size_t)L->n_str;
#define PK_AT(type, sec) ((type *)(void *)(block + L->off[sec]))

    if (!pk_padding_ok(block, L)) {
        what = "non-zero padding";
        goto fail;
    }
    /* Arcs have at least two points, rings at least one. */
    if (pk_offsets(block + L->off[PK_ARC_OFF], m->n_arcs + 1, 2, n_arc_pts,
                   &m->arc_off) != 0) {
        what = "arc offsets are not increasing from 0 to the point count";
        goto fail;
    }
    if (pk_offsets(block + L->off[PK_RING_OFF], m->n_rings + 1, 1, n_ring_pts,
                   &m->ring_off) != 0) {
        what = "ring offsets are not increasing from 0 to the point count";
        goto fail;
    }
    if (pk_offsets(block + L->off[PK_COUNTRY_RING_OFF], m->n_countries + 1, 0,
                   m->n_rings, &m->country_ring_off) != 0) {
        what = "country ring offsets do not run from 0 to the ring count";
        goto fail;
    }

    pk_native(block + L->off[PK_ARC_PTS], 2 * n_arc_pts, 8);
    pk_native(block + L->off[PK_ARC_BOX], 4 * m->n_arcs, 8);
    pk_native(block + L->off[PK_ARC_LEFT], m->n_arcs, 4);
    pk_native(block + L->off[PK_ARC_RIGHT], m->n_arcs, 4);
    pk_native(block + L->off[PK_RING_PTS], 2 * n_ring_pts, 8);
    pk_native(block + L->off[PK_RING_BOX], 4 * m->n_rings, 8);
    pk_native(block + L->off[PK_RING_COUNTRY], m->n_rings, 4);
    pk_native(block + L->off[PK_NAME_OFF], m->n_countries, 4);
    pk_native(block + L->off[PK_ID_OFF], m->n_countries, 4);
    m->arc_pts = PK_AT(double, PK_ARC_PTS);
    m->arc_box = PK_AT(evm_llbox_t, PK_ARC_BOX);
    m->arc_class = PK_AT(uint8_t, PK_ARC_CLASS);
    m->arc_left = PK_AT(int32_t, PK_ARC_LEFT);
    m->arc_right = PK_AT(int32_t, PK_ARC_RIGHT);
    m->ring_pts = PK_AT(double, PK_RING_PTS);
    m->ring_box = PK_AT(evm_llbox_t, PK_RING_BOX);
    m->ring_country = PK_AT(uint32_t, PK_RING_COUNTRY);

    if (!pk_points_ok(m->arc_pts, n_arc_pts) ||
        !pk_points_ok(m->ring_pts, n_ring_pts)) {
        what = "a point is not a finite longitude/latitude";
        goto fail;
    }
    if (!pk_boxes_ok(m->arc_box, m->n_arcs) ||
        !pk_boxes_ok(m->ring_box, m->n_rings)) {
        what = "a bounding box is not a longitude/latitude box";
        goto fail;
    }
    const int32_t n_c = (int32_t)m->n_countries;
    for (size_t a = 0; a < m->n_arcs; a++) {
        int32_t l = m->arc_left[a], r = m->arc_right[a];
        int ok = m->arc_class[a] == EVM_ARC_BORDER
                     ? l >= 0 && l < n_c && r >= 0 && r < n_c && l != r
                     : m->arc_class[a] <= EVM_ARC_BORDER && l == -1 && r == -1;
        if (!ok) {
            what = "an arc has a bad class or bad countries";
            goto fail;
        }
    }
    for (size_t c = 0; c < m->n_countries; c++) {
        for (size_t r = m->country_ring_off[c]; r < m->country_ring_off[c + 1];
             r++) {
            if (m->ring_country[r] != c) {
                what = "a ring's country disagrees with the country's rings";
                goto fail;
            }
        }
    }

    /* Every offset inside the table and the table ending in NUL mean
     * every string ends inside it. */
    const char *str = PK_AT(const char, PK_STRINGS);
    const uint32_t *name_off = PK_AT(const uint32_t, PK_NAME_OFF);
    const uint32_t *id_off = PK_AT(const uint32_t, PK_ID_OFF);
    if (n_str > 0 && str[n_str - 1] != '\0') {
        what = "the string table does not end in NUL";
        goto fail;
    }
    m->country_id = m->country_name + m->n_countries;
    for (size_t c = 0; c < m->n_countries; c++) {
        if (name_off[c] >= n_str || id_off[c] >= n_str) {
            what = "a country name or id lies outside the string table";
            goto fail;
        }
        m->country_name[c] =
            (char *)(void *)(block + L->off[PK_STRINGS] + name_off[c]);
        m->country_id[c] =
            (char *)(void *)(block + L->off[PK_STRINGS] + id_off[c]);
    }
#undef PK_AT
    *out = m;
    return EVM_OK;

fail:
    evm_basemap_destroy(m);
    return pk_fail(err, name, "corrupt packed base map: %s", what);
}

evm_status evm_packed_decode(const void *data, size_t len, const char *name,
                             evm_basemap_t **out, evm_error_t *err)
{
    if (!out || (!data && len))
        return evm_error_set(err, EVM_ERR_INVALID_ARG, name, 0, 0,
                             "no packed data or no output");
    *out = NULL;
    pk_layout_t L;
    evm_status st = pk_header(data, len, name, &L, err);
    if (st != EVM_OK)
        return st;
    unsigned char *block = malloc(L.total);
    if (!block)
        return evm_error_set(err, EVM_ERR_NOMEM, name, 0, 0,
                             "out of memory reading the packed base map");
    memcpy(block, data, L.total);
    return pk_adopt(block, 0, &L, name, out, err);
}

/* A private mapping of the whole of a regular file of at least a
 * header's length, else NULL (the caller then reads it). Nothing is
 * written to the mapping on a little-endian host, so its pages are the
 * page cache's: no copy, and no fresh pages to clear and fault in (a
 * third of the time of a render's base map load went there). */
static unsigned char *pk_map(FILE *f, size_t *len)
{
    struct stat sb;
    int fd = fileno(f);
    if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
        sb.st_size < PK_HEADER || (uintmax_t)sb.st_size > SIZE_MAX)
        return NULL;
    void *p = mmap(NULL, (size_t)sb.st_size, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE, fd, 0);
    if (p == MAP_FAILED)
        return NULL;
    *len = (size_t)sb.st_size;
    return p;
}

evm_status evm_packed_read_file(FILE *f, const char *path, evm_basemap_t **out,
                                evm_error_t *err)
{
    if (!f || !out)
        return evm_error_set(err, EVM_ERR_INVALID_ARG, path, 0, 0,
                             "no file or no output");
    *out = NULL;
    size_t mapped = 0;
    unsigned char *map = pk_map(f, &mapped);
    if (map) {
        pk_layout_t L;
        evm_status st = pk_header(map, mapped, path, &L, err);
        if (st != EVM_OK) {
            munmap(map, mapped);
            return st;
        }
        return pk_adopt(map, mapped, &L, path, out, err);
    }
    long size = -1;
    if (fseek(f, 0, SEEK_END) == 0)
        size = ftell(f);
    if (size < 0 || fseek(f, 0, SEEK_SET) != 0)
        return evm_error_set(err, EVM_ERR_IO, path, 0, 0,
                             "cannot determine the file's size");
    unsigned char h[PK_HEADER];
    size_t got = fread(h, 1, sizeof h, f);
    if (got < sizeof h && ferror(f))
        return evm_error_set(err, EVM_ERR_IO, path, 0, 0, "cannot read");
    pk_layout_t L;
    /* Checked against the size the file claims now; the read below must
     * then deliver exactly that much. */
    evm_status st =
        pk_header(h, got < sizeof h ? got : (size_t)size, path, &L, err);
    if (st != EVM_OK)
        return st;
    unsigned char *block = malloc(L.total);
    if (!block)
        return evm_error_set(err, EVM_ERR_NOMEM, path, 0, 0,
                             "out of memory reading the packed base map");
    memcpy(block, h, PK_HEADER);
    size_t rest = L.total - PK_HEADER;
    if (fread(block + PK_HEADER, 1, rest, f) != rest || fgetc(f) != EOF) {
        int io = ferror(f);
        free(block);
        return io ? evm_error_set(err, EVM_ERR_IO, path, 0, 0, "cannot read")
                  : pk_fail(err, path,
                            "packed base map changed size while being read");
    }
    return pk_adopt(block, 0, &L, path, out, err);
}
