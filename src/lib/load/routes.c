/* Routes files: legs by mode between events or inline coordinates. */
#include <evmap/routes.h>
