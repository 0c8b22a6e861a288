/* Fuzz target for jobs files (batch.h): the input up to its first NUL
 * byte is a jobs CSV, the rest an output pattern expanded for every job,
 * file-name safe and not, as evm_batch_prepare expands them. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <evmap/batch.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, 0, size);
    size_t csv_len = nul ? (size_t)(nul - data) : size;
    char *pattern = NULL;
    if (nul) {
        size_t n = size - csv_len - 1;
        pattern = malloc(n + 1);
        if (!pattern)
            return 0;
        memcpy(pattern, nul + 1, n);
        pattern[n] = '\0';
    }
    evm_batch_t *b = NULL;
    evm_error_t err;
    if (evm_batch_create(&b, &err) == EVM_OK &&
        evm_batch_add_jobs_memory(b, "jobs.csv", data, csv_len, &err) ==
            EVM_OK) {
        size_t n = evm_batch_count(b);
        for (size_t j = 0; j < n && j < 64; j++)
            for (int safe = 0; safe < 2; safe++) {
                char *out = NULL;
                if (evm_batch_expand(b, j, pattern ? pattern : "{n}.png", safe,
                                     &out, &err) == EVM_OK &&
                    safe && (strchr(out, '/') && !strchr(pattern, '/')))
                    abort(); /* a value added a folder */
                free(out);
            }
    }
    evm_batch_destroy(b);
    free(pattern);
    return 0;
}
