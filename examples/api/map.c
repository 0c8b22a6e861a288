/* A map from the public API alone: events from a CSV file, laid out on
 * the bundled base map and written as PNG (or PDF/SVG, from the output's
 * extension).
 *
 *   map EVENTS.csv OUT.png [TITLE]
 *
 * Build it against an installed libevmap with pkg-config (Makefile) or
 * CMake (CMakeLists.txt, find_package(evmap)). */
#include <stdio.h>

#include <evmap/evmap.h>

static int fail(const evm_error_t *err)
{
    char msg[1024];
    evm_error_format(err, msg, sizeof msg);
    fprintf(stderr, "map: %s\n", msg);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: map EVENTS.csv OUT.png [TITLE]\n");
        return 2;
    }
    /* Built against one version, possibly running against another. */
    int num;
    const char *version = evm_version(&num);
    if (num / 100 != EVM_VERSION_NUM / 100)
        fprintf(stderr, "map: built with libevmap %s, running %s\n",
                EVM_VERSION_STRING, version);

    evm_error_t err;
    evm_error_clear(&err);
    evm_context_t *ctx = NULL;
    evm_geodata_t *geodata = NULL;
    evm_events_t *events = NULL;
    evm_scene_t *scene = NULL;
    evm_format fmt;
    int rc = 1;

    evm_csv_options_t csv;
    evm_csv_options_init(&csv);
    evm_map_options_t map;
    evm_map_options_init(&map);
    if (argc == 4)
        map.title = argv[3];
    evm_render_options_t render;
    evm_render_options_init(&render);

    /* NULL: the geodata installed with the library. */
    if (evm_format_from_path(argv[2], &fmt)) {
        fprintf(stderr, "map: %s: give a .png, .pdf or .svg output\n", argv[2]);
        return 2;
    }
    if (evm_context_create(&ctx, &err) ||
        evm_geodata_open(NULL, &geodata, &err) ||
        evm_events_load_file(argv[1], &csv, &events, &err) ||
        evm_map_layout(ctx, events, geodata, &map, &scene, &err) ||
        evm_render_to_file_with(scene, fmt, &render, argv[2], &err))
        rc = fail(&err);
    else
        rc = 0;
    if (rc == 0)
        printf("%s: %zu events on the map\n", argv[2],
               evm_events_count(events));

    evm_scene_destroy(scene);
    evm_events_destroy(events);
    evm_geodata_destroy(geodata);
    evm_context_destroy(ctx);
    return rc;
}
