/* evmap-geopack: TopoJSON to the packed base map format. */
#include <stdio.h>

int main(void)
{
    return 2;
}
