/* The base map topology as a data type: arcs, the rings built from them
 * and the countries that own the rings. The loaders (TopoJSON, the
 * packed format, the reference layers) fill it; geodesy (border
 * distances, the projection grid) and map layout read it. It sits in
 * core so that geo/ and load/ need nothing of each other to share it.
 * All coordinates are longitude/latitude in degrees, stored as
 * interleaved pairs (lon, lat). */
#ifndef EVM_CORE_BASEMAP_H
#define EVM_CORE_BASEMAP_H

#include <stddef.h>
#include <stdint.h>

#include <evmap/geodata.h>

/* A longitude/latitude box. For a ring or arc that crosses the
 * antimeridian in the data, w = -180 and e = 180. */
typedef struct evm_llbox {
    double w, s, e, n;
} evm_llbox_t;

/* What an arc is on the map. */
typedef enum evm_arc_class {
    EVM_ARC_INTERIOR = 0, /* used twice by one country: drawn as neither */
    EVM_ARC_COAST = 1,    /* used by one ring of one country */
    EVM_ARC_BORDER = 2,   /* shared by two different countries */
    /* A border of de facto control that the worldview does not take as
     * one (the line between Crimea and the rest of Ukraine in the
     * international view): drawn dashed, not a boundary of either side.
     * Only in a basemap derived for a worldview, never in a file. */
    EVM_ARC_DEFACTO = 3
} evm_arc_class;

struct evm_basemap {
    /* Arcs: arc i has points arc_pts[2*arc_off[i] .. 2*arc_off[i+1]). */
    size_t n_arcs;
    size_t *arc_off; /* n_arcs + 1 */
    double *arc_pts;
    evm_llbox_t *arc_box;
    uint8_t *arc_class;
    /* For a border arc, the two countries it separates (else -1, -1).
     * arc_right is the country whose ring runs along the arc as stored,
     * arc_left the one running it reversed: world-atlas rings keep land
     * on their right (clockwise exteriors, counter-clockwise holes), so
     * these are the countries on each side of the arc's direction. */
    int32_t *arc_left, *arc_right;

    /* Rings, materialised from arcs (the joint point of consecutive arcs
     * kept once; the ring is closed implicitly, its last point is not a
     * repeat of the first). Ring i: ring_pts[2*ring_off[i] ..
     * 2*ring_off[i+1]). Exterior rings and holes keep the orientation of
     * the data (holes opposite to exteriors), so a non-zero fill of all
     * rings of all countries draws land correctly. */
    size_t n_rings;
    size_t *ring_off; /* n_rings + 1 */
    double *ring_pts;
    evm_llbox_t *ring_box;
    uint32_t *ring_country;

    /* Countries: rings of country c are [country_ring_off[c],
     * country_ring_off[c+1]). */
    size_t n_countries;
    size_t *country_ring_off; /* n_countries + 1 */
    char **country_name;
    char **country_id;

    /* NULL, or the one block every array above points into (a packed
     * image: malloc'd, or a private mapping of block_mapped bytes of its
     * file), with country_name holding both name arrays; then only these
     * two are freed. */
    void *block;
    size_t block_mapped;
    /* NULL, or the map whose arc points, arc boxes and names this one
     * borrows (a worldview derived from it); the rest is its own. */
    const struct evm_basemap *borrowed;
};

#endif
