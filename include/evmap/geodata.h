/* Base map data: Natural Earth admin-0 countries as a topology.
 *
 * A basemap is one resolution of country polygons plus the arcs they are
 * built from, classified as coastline (used by one country) or land border
 * (shared by two). It is read from world-atlas TopoJSON, or from the packed
 * form evmap-geopack writes at build time (the same data, decoded once, so
 * that loading costs a file read instead of a JSON parse).
 *
 * evm_geodata_t is the bundled set: it finds the files and loads each
 * resolution on first use. It may be shared by threads.
 *
 * Packed files are mapped into memory, not copied, and stay mapped while
 * a basemap or the set that loaded them lives. Replace such a file by
 * writing a new one beside it and renaming it over the old, as
 * evmap-geopack and package managers do: a file truncated or rewritten
 * in place under a running process can end that process (SIGBUS) or show
 * it bytes other than those it checked when loading. */
#ifndef EVMAP_GEODATA_H
#define EVMAP_GEODATA_H

#include <stddef.h>

#include "export.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum evm_basemap_res {
    EVM_BASEMAP_AUTO = 0,
    EVM_BASEMAP_110M,
    EVM_BASEMAP_50M,
    EVM_BASEMAP_10M
} evm_basemap_res;

/* Whose boundaries the map draws and border distances measure. */
typedef enum evm_worldview {
    /* Internationally recognised borders: an area annexed against UN
     * resolutions (Crimea, UNGA 68/262) inside the outline of the state
     * it belongs to, tinted as disputed, the line of de facto control
     * dashed. */
    EVM_WORLDVIEW_INTERNATIONAL = 0,
    /* Natural Earth's own view: boundaries by de facto control, disputed
     * areas tinted. */
    EVM_WORLDVIEW_DE_FACTO
} evm_worldview;

/* "international" or "de-facto". */
EVM_API const char *evm_worldview_name(evm_worldview worldview);
/* Parses those names; EVM_ERR_INVALID_ARG otherwise. */
EVM_API evm_status evm_worldview_parse(const char *text, evm_worldview *out);

typedef struct evm_basemap evm_basemap_t;
typedef struct evm_geodata evm_geodata_t;

/* "110m", "50m", "10m" or "auto". */
EVM_API const char *evm_basemap_res_name(evm_basemap_res res);
/* Parses the names above; EVM_ERR_INVALID_ARG otherwise. */
EVM_API evm_status evm_basemap_res_parse(const char *text,
                                         evm_basemap_res *res);
/* The resolution fit for a map of this scale (km per pixel at the map's
 * centre): 110m from 12 km/px, 50m from 2.5 km/px, else 10m. */
EVM_API evm_basemap_res evm_basemap_res_for_scale(double km_per_px);

/* Loads a TopoJSON (world-atlas layout: objects.countries) or packed file,
 * told apart by content. The caller owns *out. */
EVM_API evm_status evm_basemap_load(const char *path, evm_basemap_t **out,
                                    evm_error_t *err);
EVM_API void evm_basemap_destroy(evm_basemap_t *map);

EVM_API size_t evm_basemap_country_count(const evm_basemap_t *map);
/* Natural Earth name, e.g. "South Korea". Borrowed. */
EVM_API const char *evm_basemap_country_name(const evm_basemap_t *map,
                                             size_t i);
/* ISO 3166-1 numeric code as written in the data ("410"), or "". */
EVM_API const char *evm_basemap_country_id(const evm_basemap_t *map, size_t i);
/* ISO 3166-1 alpha-3 code of a country ("UKR"), from its numeric code;
 * "" when it has none (Kosovo, N. Cyprus, ...). */
EVM_API const char *evm_basemap_country_alpha3(const evm_basemap_t *map,
                                               size_t i);
/* Finds a country by Natural Earth name ("Ukraine"; exact, then ignoring
 * ASCII case), ISO 3166-1 alpha-3 or alpha-2 code ("UKR", "UA", any
 * case), numeric code
 * ("804"; leading zeros optional) or ISO English name ("Russian
 * Federation"). A code shared by several features of the data (Australia
 * and Ashmore and Cartier Is. are both 036) picks the one named as ISO
 * names the code. EVM_ERR_NOT_FOUND, with the closest names suggested,
 * when nothing matches. */
EVM_API evm_status evm_basemap_find_country(const evm_basemap_t *map,
                                            const char *query, size_t *index,
                                            evm_error_t *err);
EVM_API size_t evm_basemap_arc_count(const evm_basemap_t *map);
EVM_API size_t evm_basemap_point_count(const evm_basemap_t *map);

/* Opens the bundled geodata. dir may be NULL: then $EVMAP_GEODATA, the
 * build tree and the install prefix are searched, in that order. Nothing
 * is loaded yet. The caller owns *out. */
EVM_API evm_status evm_geodata_open(const char *dir, evm_geodata_t **out,
                                    evm_error_t *err);
/* The basemap of a resolution (not AUTO), loaded on first use. Safe to call
 * from several threads. *out is borrowed for the lifetime of geodata. */
EVM_API evm_status evm_geodata_get(evm_geodata_t *geodata, evm_basemap_res res,
                                   const evm_basemap_t **out, evm_error_t *err);
/* The countries of a resolution as a worldview draws them: for
 * EVM_WORLDVIEW_DE_FACTO the data as it is (evm_geodata_get); for the
 * international view a copy derived once and kept, in which each area
 * the international view gives to another state than Natural Earth's
 * data (Crimea, to Ukraine) has the administering country's polygons
 * inside it moved to that state, and the line of control between them is
 * no longer a border of either. Safe to call from several threads; *out
 * is borrowed for the lifetime of geodata. */
EVM_API evm_status evm_geodata_get_worldview(evm_geodata_t *geodata,
                                             evm_basemap_res res,
                                             evm_worldview worldview,
                                             const evm_basemap_t **out,
                                             evm_error_t *err);
EVM_API void evm_geodata_destroy(evm_geodata_t *geodata);
/* The directory the geodata is read from (borrowed), where the other
 * bundled files (gazetteer.csv) are looked for too. */
EVM_API const char *evm_geodata_dir(const evm_geodata_t *geodata);

#ifdef __cplusplus
}
#endif

#endif
