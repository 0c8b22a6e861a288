/* What later stages may change in loaded routes: the legs' lengths once
 * a leg is routed at sea (geo/sea_legs.c). */
#ifndef EVM_LOAD_ROUTES_INTERNAL_H
#define EVM_LOAD_ROUTES_INTERNAL_H

#include <evmap/routes.h>

/* The legs, writable; borrowed for the lifetime of r. */
evm_route_leg_t *evm_routes_legs_mutable(evm_routes_t *r, size_t *n_legs);
/* Sums each route's length again from its legs'. */
void evm_routes_sum_again(evm_routes_t *r);

#endif
