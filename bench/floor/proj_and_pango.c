/* Both floors in one process, as every evmap map needs: a PROJ context
 * and one line of text measured. Nothing is projected or drawn. */
#include "one_line.h"
#include <proj.h>
int main(void)
{
    PJ_CONTEXT *c = proj_context_create();
    int w = measure_one_line();
    proj_context_destroy(c);
    return w > 0 ? 0 : 1;
}
