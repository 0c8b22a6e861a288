/* The packed base map format: struct evm_basemap written once by
 * evmap-geopack and read back with one file read and pointer setup.
 *
 * Layout, all integers and doubles little-endian, every section starting
 * on an 8-byte boundary (zero padding in between):
 *
 *   header (64 bytes)
 *     0  magic "\x89EVMGEO\n"       8  u32 version (1)
 *    12  u32 header size (64)      16  u64 n_arcs
 *    24  u64 n_arc_pts             32  u64 n_rings
 *    40  u64 n_ring_pts            48  u64 n_countries
 *    56  u64 string table size in bytes
 *   arc_off       u64[n_arcs + 1]
 *   arc_pts       f64[2 * n_arc_pts]     (lon, lat pairs)
 *   arc_box       f64[4 * n_arcs]        (w, s, e, n)
 *   arc_class     u8[n_arcs]
 *   arc_left      i32[n_arcs]
 *   arc_right     i32[n_arcs]
 *   ring_off      u64[n_rings + 1]
 *   ring_pts      f64[2 * n_ring_pts]
 *   ring_box      f64[4 * n_rings]
 *   ring_country  u32[n_rings]
 *   country_ring_off u64[n_countries + 1]
 *   country_name  u32[n_countries]       (offsets into the string table)
 *   country_id    u32[n_countries]
 *   strings       NUL-terminated UTF-8
 *
 * The file length must be exactly what the counts imply. The 0x89 first
 * byte cannot start a JSON text, so a loader tells the two formats apart
 * from the first bytes. */
#ifndef EVM_LOAD_PACKED_H
#define EVM_LOAD_PACKED_H

#include <stddef.h>
#include <stdio.h>

#include <evmap/geodata.h>

/* "\x89EVMGEO\n", the 0x89 written in octal so that no hex escape
 * swallows the E. */
#define EVM_PACKED_MAGIC "\211EVMGEO\n"
enum { EVM_PACKED_MAGIC_LEN = 8, EVM_PACKED_VERSION = 1 };

/* Whether data starts with the packed magic. */
int evm_packed_has_magic(const void *data, size_t len);

/* Serialises map into a new buffer (*out, caller frees with free()). */
evm_status evm_packed_encode(const evm_basemap_t *map, unsigned char **out,
                             size_t *out_len, evm_error_t *err);

/* Decodes a packed image held in memory (copied; data is only read during
 * the call). name is used in messages. Anything inconsistent is
 * EVM_ERR_PARSE. The caller owns *out. */
evm_status evm_packed_decode(const void *data, size_t len, const char *name,
                             evm_basemap_t **out, evm_error_t *err);

/* Reads a packed file from f, positioned at its start: a regular file is
 * mapped (privately; f may be closed afterwards), anything else read into
 * one allocation. path is used in messages. A mapped file must not be
 * truncated or rewritten in place while the map lives: replace it by
 * renaming a new file over it, as evmap-geopack and package managers do. */
evm_status evm_packed_read_file(FILE *f, const char *path, evm_basemap_t **out,
                                evm_error_t *err);

/* Frees what a map read from a packed image owns besides itself (its
 * block and name pointers); evm_basemap_destroy calls it. */
void evm_packed_release(evm_basemap_t *map);

#endif
