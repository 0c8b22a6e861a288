/* The start-up floor of PROJ: a process that loads libproj (and the
 * libraries Debian builds it with) and creates one context. */
#include <proj.h>
int main(void)
{
    PJ_CONTEXT *c = proj_context_create();
    proj_context_destroy(c);
    return 0;
}
