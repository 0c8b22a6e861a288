/* Lines that event labels should not sit on: route legs and distance
 * lines. A label over a line stays legible through its halo, so lines
 * are a preference rather than a rule: labels.c tries the positions
 * round a marker clear of lines first, then the same positions over
 * them, before moving a label away on a leader. Segments are indexed by
 * page cell like the box obstacles, so a test costs the segments near a
 * label. */
#include <math.h>

#include "core/error.h"
#include "map/layout_internal.h"

evm_status evm_layout_line_obstacle(evm_layout_t *L, const evm_path_t *p,
                                    uint32_t *line)
{
    uint32_t number = L->n_line_paths++;
    if (line)
        *line = number;
    for (size_t k = 0; k < p->n_subs; k++) {
        size_t a = p->sub_start[k], b = a + evm_path_sub_len(p, k);
        for (size_t i = a + 1; i < b; i++) {
            evm_point_t u = p->pts[i - 1], v = p->pts[i];
            if (evm_grow((void **)&L->line_segs, &L->cap_line_segs,
                         2 * (L->n_line_segs + 1), sizeof *L->line_segs) ||
                evm_grow((void **)&L->line_seg_line, &L->cap_line_seg_line,
                         L->n_line_segs + 1, sizeof *L->line_seg_line))
                return EVM_ERR_NOMEM;
            evm_rect_t r = {fmin(u.x, v.x), fmin(u.y, v.y), fabs(v.x - u.x),
                            fabs(v.y - u.y)};
            if (evm_grid_index_add(&L->line_grid, (uint32_t)L->n_line_segs, r))
                return EVM_ERR_NOMEM;
            L->line_segs[2 * L->n_line_segs] = u;
            L->line_segs[2 * L->n_line_segs + 1] = v;
            L->line_seg_line[L->n_line_segs] = number;
            L->n_line_segs++;
        }
    }
    return EVM_OK;
}

typedef struct seg_query {
    const evm_layout_t *L;
    evm_rect_t r;
    bool hit;
} seg_query_t;

static bool seg_visit(void *user, uint32_t item)
{
    seg_query_t *q = user;
    q->hit =
        evm_segment_meets_rect(q->L->line_segs[2 * (size_t)item],
                               q->L->line_segs[2 * (size_t)item + 1], q->r);
    return !q->hit;
}

bool evm_layout_on_lines(evm_layout_t *L, evm_rect_t r)
{
    if (!L->n_line_segs)
        return false;
    seg_query_t q = {L, r, false};
    evm_grid_index_visit(&L->line_grid, r, seg_visit, &q);
    return q.hit;
}
