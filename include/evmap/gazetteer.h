/* Places by name: an offline gazetteer.
 *
 * A name is looked up in these sources, in order: the user's own places
 * file (CSV with the columns name, lat, lon and optionally country), then
 * the bundled Natural Earth populated places and ports
 * (geodata/gazetteer.csv), then the GeoNames cities that Debian's
 * libgeonames carries (about 24,000, loaded on the first lookup that gets
 * that far). A name found in the user's file is taken from there alone;
 * otherwise the Natural Earth and GeoNames candidates are pooled, a
 * GeoNames city within 30 km of a Natural Earth place of the same country
 * counting as that place.
 *
 * Names match ignoring case, diacritics, apostrophes and hyphens
 * ("P'yŏngyang" is "pyongyang", "Petropavlovsk-Kamchatskiy" is
 * "petropavlovsk kamchatskiy") and through the other spellings the
 * sources list (Kiev/Kyiv). A country hint (ISO 3166-1 alpha-2 code such
 * as "KR", or a country name) keeps only that country's candidates; it
 * is given separately or written after the name ("Paris, FR"). Of the
 * candidates left, the most populous wins; the others come back as
 * alternatives so that the caller can warn: ambiguity is never silent.
 *
 * A gazetteer may be used from several threads at once. */
#ifndef EVMAP_GAZETTEER_H
#define EVMAP_GAZETTEER_H

#include <stdbool.h>
#include <stddef.h>

#include "dist.h"
#include "export.h"
#include "status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum evm_place_source {
    EVM_PLACE_USER = 0,      /* the --places file */
    EVM_PLACE_EVENTS,        /* an event of the same run */
    EVM_PLACE_NATURAL_EARTH, /* Natural Earth populated places and ports */
    EVM_PLACE_GEONAMES       /* GeoNames cities (libgeonames) */
} evm_place_source;

/* "places", "events", "naturalearth", "geonames". */
EVM_API const char *evm_place_source_name(evm_place_source source);

typedef struct evm_gazetteer_options {
    /* CSV name,lat,lon[,country] (any column order, more columns
     * ignored), or NULL. */
    const char *places_path;
    /* The directory holding gazetteer.csv; NULL: the directories
     * evm_geodata_open searches. */
    const char *geodata_dir;
    /* Consult GeoNames (libgeonames); true by default. */
    bool geonames;
} evm_gazetteer_options_t;

/* No places file, the bundled data found as evm_geodata_open finds it,
 * GeoNames on. */
EVM_API void evm_gazetteer_options_init(evm_gazetteer_options_t *opt);

typedef struct evm_gazetteer evm_gazetteer_t;

/* Reads the places file and the bundled Natural Earth extract. Errors:
 * those of reading the places file (file:line:column), EVM_ERR_NOT_FOUND
 * when no gazetteer.csv is found. The caller owns *out. */
EVM_API evm_status evm_gazetteer_create(const evm_gazetteer_options_t *opt,
                                        evm_gazetteer_t **out,
                                        evm_error_t *err);
/* Frees; NULL is a no-op. */
EVM_API void evm_gazetteer_destroy(evm_gazetteer_t *gaz);

/* One place a name may mean. Strings are borrowed from the gazetteer. */
typedef struct evm_geocode_place {
    const char *name;         /* as the source writes it */
    double lat_deg, lon_deg;  /* WGS84 degrees */
    const char *country;      /* ISO 3166-1 alpha-2, "" when unknown */
    const char *country_name; /* "" when unknown */
    const char *admin1;       /* state, province; "" when unknown */
    double population;        /* 0 when unknown (ports) */
    evm_place_source source;
} evm_geocode_place_t;

/* What a name resolved to: the place chosen and the other candidates
 * with the same name (after the country hint), most populous first.
 * Free with evm_geocode_clear. */
typedef struct evm_geocode {
    evm_geocode_place_t place;
    evm_geocode_place_t *others;
    size_t n_others;
} evm_geocode_t;

/* Looks text up. country (may be NULL or "") narrows to one country: an
 * ISO alpha-2 code or a country name, ignoring case. Without it, text
 * "NAME, CC" or "NAME, Country" is read as a name and a hint when NAME
 * alone is known. EVM_ERR_NOT_FOUND for an unknown name, with the
 * closest names suggested, or for a name no candidate of the hinted
 * country has (listing the countries that do). On success the caller
 * owns *out (evm_geocode_clear). */
EVM_API evm_status evm_gazetteer_lookup(const evm_gazetteer_t *gaz,
                                        const char *text, const char *country,
                                        evm_geocode_t *out, evm_error_t *err);
EVM_API void evm_geocode_clear(evm_geocode_t *geocode);

/* "Springfield, US (Missouri), 166,810 people; others: ..." style
 * warning for a result with alternatives, into buf (always terminated
 * when cap > 0); returns false, writing nothing, when there are none. */
EVM_API bool evm_geocode_warning(const evm_geocode_t *geocode,
                                 const char *query, char *buf, size_t cap);

/* The events of ev that were placed by name from source (loaded with a
 * gazetteer, evm_csv_options_t): the rows without coordinates whose
 * name the gazetteer resolved there, and, as EVM_PLACE_EVENTS, those
 * placed at an earlier event of the file that has coordinates (a row
 * placed at an earlier row that a name placed counts as that row's
 * source). A subset (evm_events_subset) keeps its events' sources, so a
 * map's credit follows the events it shows. 0 for NULL. */
EVM_API size_t evm_events_placed_count(const evm_events_t *ev,
                                       evm_place_source source);

/* Whether any lookup so far chose a GeoNames place (for the map's
 * source line). */
EVM_API bool evm_gazetteer_used_geonames(const evm_gazetteer_t *gaz);

/* Called for each name that cannot be resolved; err is borrowed for
 * the call. */
typedef void (*evm_geocode_error_fn)(void *closure, const evm_error_t *err);

/* What each of names[0..n) resolves to (countries[i], may be NULL or
 * hold NULLs, is its hint), for a person to check and freeze into a
 * CSV: CSV with the header query,name,lat,lon,country,admin1,source,
 * alternatives (the other candidates as "Name, CC (Admin1) lat lon"
 * joined with "; "), or JSON, an array of objects with the same keys
 * and alternatives an array of objects (name, lat, lon, country,
 * admin1, source); EVM_DIST_TABLE is CSV. Coordinates have 6 decimals
 * with a '.' whatever the locale. A name that fails is left out and
 * reported to on_error (may be NULL); *n_failed (may be NULL) counts
 * them. EVM_ERR_IO when write fails, EVM_ERR_NOMEM. */
EVM_API evm_status evm_gazetteer_write(
    const evm_gazetteer_t *gaz, const char *const *names,
    const char *const *countries, size_t n, evm_dist_format format,
    evm_write_fn write, void *closure, evm_geocode_error_fn on_error,
    void *error_closure, size_t *n_failed, evm_error_t *err);

#ifdef __cplusplus
}
#endif

#endif
