/* Export macro for the public API of libevmap. The library is built with
 * hidden visibility, so only declarations marked EVM_API are exported. */
#ifndef EVMAP_EXPORT_H
#define EVMAP_EXPORT_H

#if defined(EVM_BUILDING_LIBRARY) && defined(__GNUC__)
#define EVM_API __attribute__((visibility("default")))
#else
#define EVM_API
#endif

#endif
