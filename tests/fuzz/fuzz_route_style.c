/* Fuzz target for option strings: each line of the input is
 * "KEY=VALUE", given to evm_map_options_set or, for the distance and
 * route keys that name no file, to evm_map_distance_opts_set (route
 * styles, distances between inline coordinates). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <evmap/map.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    evm_map_options_t mo;
    evm_map_options_init(&mo);
    evm_map_distance_opts_t *d = NULL;
    evm_error_t err;
    if (evm_map_distance_opts_create(&d, &err) != EVM_OK) {
        free(text);
        return 0;
    }
    for (char *line = text, *next; line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        char *eq = strchr(line, '=');
        if (!eq)
            continue;
        *eq = '\0';
        const char *key = line, *value = eq + 1;
        /* Files are not read here: the loaders have targets of their own. */
        if (strstr(key, "links") || strstr(key, "routes") ||
            strstr(key, "styles") || strstr(key, "events"))
            continue;
        if (evm_map_distance_opts_has_key(key))
            evm_map_distance_opts_set(d, NULL, key, value, &err);
        else if (evm_map_options_has_key(key))
            evm_map_options_set(&mo, key, value, &err);
    }
    evm_map_distance_opts_apply(d, &mo);
    evm_map_distance_opts_destroy(d);
    free(text);
    return 0;
}
