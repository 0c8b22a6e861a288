/* The standalone driver of the fuzz targets: without libFuzzer, each
 * tests/fuzz/fuzz_<name>.c is linked with this main(), which runs its
 * LLVMFuzzerTestOneInput over every file named on the command line, so
 * that a corpus (tests/data/<name>) runs as an ordinary test under gcc.
 * A target reports a failure by aborting; a file that cannot be read is
 * reported and makes the run fail after the others have run. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The whole file, in a buffer of its size so that the sanitizers see a
 * read past the end; NULL when it cannot be read. */
static uint8_t *read_all(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    uint8_t *buf = NULL;
    long n = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    if (n >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        buf = malloc(n ? (size_t)n : 1);
        if (!buf)
            errno = ENOMEM;
        else if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
            free(buf);
            buf = NULL;
        }
    }
    fclose(f);
    *size = (size_t)n;
    return buf;
}

int main(int argc, char **argv)
{
    int failed = 0;
    for (int i = 1; i < argc; i++) {
        size_t n = 0;
        uint8_t *data = read_all(argv[i], &n);
        if (!data) {
            fprintf(stderr, "%s: cannot read %s: %s\n", argv[0], argv[i],
                    strerror(errno));
            failed = 1;
            continue;
        }
        LLVMFuzzerTestOneInput(data, n);
        free(data);
    }
    printf("ran %d input%s\n", argc - 1, argc == 2 ? "" : "s");
    return failed;
}
