/* What the library's other stages ask of a gazetteer besides its public
 * API. */
#ifndef EVM_LOAD_GAZETTEER_INTERNAL_H
#define EVM_LOAD_GAZETTEER_INTERNAL_H

#include <stddef.h>

#include <evmap/gazetteer.h>

/* How many lookups so far chose a GeoNames place: read before and after
 * loading a file, it says whether that file's places used GeoNames (a
 * batch loads its events files one after another). 0 for NULL. */
size_t evm_gazetteer_geonames_picks(const evm_gazetteer_t *gaz);

#endif
