/* evmap command-line front end. */
#include <stdio.h>

int main(void)
{
    fputs("evmap: the command line is being assembled\n", stderr);
    return 2;
}
