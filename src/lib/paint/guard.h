/* Geometry guards: what the painter does with coordinates before cairo
 * sees them.
 *
 * cairo stores device coordinates in 24.8 fixed point, and cairo 1.16
 * mis-draws segments that reach millions of px off the page. Layout clips
 * to the page already; these guards are the painter's own safety net. A
 * coordinate that is non-finite or beyond EVM_GUARD_ABSURD_PX is not
 * geometry but garbage, and its point is dropped. Geometry between the
 * guard box (the page grown by a margin on every side) and that bound is
 * clipped to the guard box, which leaves everything within the margin,
 * hence the visible page, exactly as it was. */
#ifndef EVM_PAINT_GUARD_H
#define EVM_PAINT_GUARD_H

#include <stdbool.h>
#include <stddef.h>

#include <evmap/scene.h>

/* Guard box margin around the page in device units (px, or PDF points):
 * small against cairo's 24.8 fixed-point range of +-8388607, large
 * against any stroke or halo, so that the edges clipping adds on the
 * guard box stay off the page. */
#define EVM_GUARD_MARGIN 65536.0
/* Coordinates beyond this magnitude, px, count as non-finite. */
#define EVM_GUARD_ABSURD_PX 1e12

/* The page [0, width_px] x [0, height_px] grown by margin_px. */
evm_rect_t evm_guard_box(double width_px, double height_px, double margin_px);

/* true when both coordinates are finite and within EVM_GUARD_ABSURD_PX. */
bool evm_guard_usable(evm_point_t p);

/* true when p lies in box, boundary included (false for NaN). */
bool evm_guard_inside(const evm_rect_t *box, evm_point_t p);

/* Clips the segment a-b (usable points) to box, Liang-Barsky. Returns
 * false when no part of it lies in box; otherwise moves a and b to the
 * ends of the part inside. An end already inside keeps its exact value,
 * so consecutive clipped segments still meet. */
bool evm_guard_clip_segment(const evm_rect_t *box, evm_point_t *a,
                            evm_point_t *b);

/* Scratch buffers for evm_guard_clip_ring, reused between calls. Zero
 * initialise; release with evm_guard_scratch_free. */
typedef struct evm_guard_scratch {
    evm_point_t *a, *b;
    size_t cap_a, cap_b;
} evm_guard_scratch_t;

void evm_guard_scratch_free(evm_guard_scratch_t *s);

/* Clips the closed ring in[0 .. n) to box, Sutherland-Hodgman, after
 * dropping its unusable points. Returns the clipped ring (borrowed from s,
 * valid until its next use) with *n_out points, possibly 0; NULL when out
 * of memory. The result fills exactly the part of the ring inside box
 * under both fill rules; its extra edges run along the box boundary. */
const evm_point_t *evm_guard_clip_ring(evm_guard_scratch_t *s,
                                       const evm_rect_t *box,
                                       const evm_point_t *in, size_t n,
                                       size_t *n_out);

/* true when every one of the n points lies in box (true for n == 0). */
bool evm_guard_all_inside(const evm_rect_t *box, const evm_point_t *pts,
                          size_t n);

/* Where guarded geometry goes: a backend's path operators, called with
 * closure. */
typedef struct evm_guard_pen {
    void (*move_to)(void *closure, evm_point_t p);
    void (*line_to)(void *closure, evm_point_t p);
    void (*close_path)(void *closure);
    void *closure;
} evm_guard_pen_t;

/* Emits the subpath pts[0 .. n) through pen as every backend draws it:
 * as it is when all its points lie in box (inside, which the caller has
 * found with evm_guard_all_inside or while measuring the points), closed
 * again when closed; otherwise a closed one clipped by
 * evm_guard_clip_ring, and an open one a segment at a time, where a
 * dropped point breaks the line (joining its neighbours would draw a
 * segment that is not in the data) and clipped segments continue it
 * where they meet. Returns 1 when something was emitted, 0 when nothing
 * was, -1 when out of memory. */
int evm_guard_emit(const evm_guard_pen_t *pen, evm_guard_scratch_t *s,
                   const evm_rect_t *box, const evm_point_t *pts, size_t n,
                   bool closed, bool inside);

#endif
