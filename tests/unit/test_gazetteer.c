/* The gazetteer: names only, placed within 10 km of the positions Natural
 * Earth (ne_10m_populated_places_simple, read with Python's json from
 * ../shared/naturalearth) and GeoNames (libgeonames 0.3.0's own data,
 * geonames_city_get_latitude) give; events files with names only; the
 * ambiguity rule (country hints, the most populous, the others listed);
 * folding of case, diacritics and apostrophes; other spellings; unknown
 * names with suggestions; a user's places file first; output read back. */
#define _POSIX_C_SOURCE 200809L
#define DEG (3.14159265358979323846 / 180)

#include <jansson.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <evmap/evmap.h>

#include "core/buf.h"
#include "core/fold.h"
#include "testutil.h"

static evm_gazetteer_t *gaz_new(const char *places)
{
    evm_gazetteer_options_t o;
    evm_gazetteer_options_init(&o);
    o.geodata_dir = EVM_SOURCE_DIR "/geodata";
    o.places_path = places;
    evm_gazetteer_t *g = NULL;
    evm_error_t err;
    evm_status st = evm_gazetteer_create(&o, &g, &err);
    if (st)
        fail_msg("%s", err.message);
    return g;
}

static double km(double la1, double lo1, double la2, double lo2)
{
    double lat1 = la1 * DEG, lat2 = la2 * DEG, dlo = (lo2 - lo1) * DEG;
    double h = pow(sin((lat2 - lat1) / 2), 2) +
               cos(lat1) * cos(lat2) * pow(sin(dlo / 2), 2);
    return 2 * 6371.0 * asin(sqrt(h));
}

/* The eight names, with the reference positions. */
static const struct {
    const char *name;
    double lat, lon;
} refs[] = {
    {"Pyongyang", 39.02138455800434, 125.75274485499392},   /* NE */
    {"Seoul", 37.5682949965, 126.9977851},                  /* NE */
    {"Vladivostok", 43.13001, 131.91003},                   /* NE */
    {"Rajin", 42.25559, 130.28308},                         /* GeoNames */
    {"Khabarovsk", 48.454986795132186, 135.12001053786298}, /* NE */
    {"Tikhoretsk", 45.85310426745252, 40.13774613318611},   /* NE */
    {"Moscow", 55.7541, 37.6136},                           /* NE */
    {"Beijing", 39.9308, 116.3863},                         /* NE */
};

static void names_within_10_km(void **state)
{
    (void)state;
    evm_gazetteer_t *g = gaz_new(NULL);
    for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++) {
        evm_geocode_t r;
        evm_error_t err;
        assert_int_equal(evm_gazetteer_lookup(g, refs[i].name, NULL, &r, &err),
                         EVM_OK);
        double d =
            km(r.place.lat_deg, r.place.lon_deg, refs[i].lat, refs[i].lon);
        if (d > 10)
            fail_msg("%s is %.1f km off", refs[i].name, d);
        evm_geocode_clear(&r);
    }
    /* Rajin is in GeoNames only: the source line must credit it. */
    assert_true(evm_gazetteer_used_geonames(g));
    evm_gazetteer_destroy(g);
}

static void warn_count(void *closure, const evm_error_t *w)
{
    int *n = closure;
    (*n)++;
    assert_non_null(strstr(w->message, "Moscow, US (Idaho)"));
    assert_int_equal(w->line, 8);
}

static void events_with_names_only(void **state)
{
    (void)state;
    static const char csv[] = "name,kind\nPyongyang,a\nSeoul,a\n"
                              "Vladivostok,b\nRajin,b\nKhabarovsk,c\n"
                              "Tikhoretsk,c\nMoscow,a\nBeijing,a\n";
    evm_gazetteer_t *g = gaz_new(NULL);
    evm_csv_options_t co;
    evm_csv_options_init(&co);
    int warnings = 0;
    co.gazetteer = g;
    co.warn = warn_count;
    co.warn_closure = &warnings;
    evm_events_t *ev = NULL;
    evm_error_t err;
    assert_int_equal(
        evm_events_load_memory("names.csv", csv, strlen(csv), &co, &ev, &err),
        EVM_OK);
    assert_int_equal(evm_events_count(ev), 8);
    assert_int_equal(evm_events_rejected_count(ev), 0);
    for (size_t i = 0; i < 8; i++) {
        const evm_event_t *e = evm_events_get(ev, i);
        assert_string_equal(e->name, refs[i].name);
        assert_true(km(e->lat_deg, e->lon_deg, refs[i].lat, refs[i].lon) < 10);
    }
    assert_int_equal(warnings, 1); /* Moscow, Idaho */
    /* The events say which source placed them: Rajin alone is a
     * GeoNames city. */
    assert_int_equal(evm_events_placed_count(ev, EVM_PLACE_GEONAMES), 1);
    assert_int_equal(evm_events_placed_count(ev, EVM_PLACE_NATURAL_EARTH), 7);
    assert_int_equal(evm_events_placed_count(ev, EVM_PLACE_USER), 0);
    evm_events_destroy(ev);

    /* Without a gazetteer the same file has no coordinates. */
    evm_csv_options_init(&co);
    assert_int_equal(
        evm_events_load_memory("names.csv", csv, strlen(csv), &co, &ev, &err),
        EVM_ERR_PARSE);
    evm_gazetteer_destroy(g);
}

static void mixed_rows_and_failures(void **state)
{
    (void)state;
    /* A row with coordinates, one placed by an earlier event, one by the
     * gazetteer with a country column, one unknown, one half given. */
    static const char csv[] = "name,lat,lon,country,place\n"
                              "Base,10,20,,\n"
                              "Again,,,,Base\n"
                              "Paris,,,US,\n"
                              "Nowhereville,,,,\n"
                              "Half,10,,,\n";
    evm_gazetteer_t *g = gaz_new(NULL);
    evm_csv_options_t co;
    evm_csv_options_init(&co);
    co.gazetteer = g;
    evm_events_t *ev = NULL;
    evm_error_t err;
    assert_int_equal(
        evm_events_load_memory("m.csv", csv, strlen(csv), &co, &ev, &err),
        EVM_OK);
    assert_int_equal(evm_events_count(ev), 3);
    /* Base by its coordinates, Again at Base, Paris (Texas) by GeoNames. */
    assert_int_equal(evm_events_placed_count(ev, EVM_PLACE_EVENTS), 1);
    assert_int_equal(evm_events_placed_count(ev, EVM_PLACE_NATURAL_EARTH), 0);
    assert_int_equal(evm_events_placed_count(ev, EVM_PLACE_GEONAMES), 1);
    const evm_event_t *again = evm_events_get(ev, 1);
    assert_true(again->lat_deg == 10 && again->lon_deg == 20);
    const evm_event_t *paris = evm_events_get(ev, 2);
    assert_true(paris->lon_deg < -90); /* Texas, not France */
    assert_int_equal(evm_events_rejected_count(ev), 2);
    const evm_error_t *r = evm_events_rejected(ev, 0);
    assert_int_equal(r->line, 5);
    assert_non_null(strstr(r->message, "Nowhereville"));
    r = evm_events_rejected(ev, 1);
    assert_int_equal(r->line, 6);
    assert_non_null(strstr(r->message, "longitude"));
    evm_events_destroy(ev);
    evm_gazetteer_destroy(g);
}

/* The source line's text, its wrapped lines joined with spaces. */
static void source_line(const evm_scene_t *s, char *buf, size_t cap)
{
    const evm_layer_t *l = &s->layers[EVM_LAYER_SOURCE];
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < l->n_items && len < cap; i++)
        if (l->items[i].kind == EVM_ITEM_TEXT &&
            strncmp(l->items[i].id, "source", 6) == 0)
            len += (size_t)snprintf(buf + len, cap - len, "%s%s",
                                    len ? " " : "", l->items[i].text.utf8);
}

/* The map credits GeoNames when one of its events was placed from it,
 * the events being those it is given (a filtered subset keeps its
 * events' sources), after many rows with coordinates too. */
static void geonames_credit_follows_events(void **state)
{
    (void)state;
    evm_buf_t csv = {0};
    static const char head[] = "name,lat,lon\nSeoul,,\nRajin,,\n";
    evm_buf_put(&csv, head, strlen(head));
    for (int i = 0; i < 40; i++) { /* past the sources array's first size */
        char row[64];
        int n = snprintf(row, sizeof row, "P%d,%d,%d\n", i, 30 + i % 20,
                         120 + i % 15);
        evm_buf_put(&csv, row, (size_t)n);
    }
    evm_buf_put(&csv, "Rajin,,\n", 8); /* at the earlier Rajin */
    evm_gazetteer_t *g = gaz_new(NULL);
    evm_csv_options_t co;
    evm_csv_options_init(&co);
    co.gazetteer = g;
    evm_events_t *ev = NULL, *sub = NULL;
    evm_error_t err;
    assert_int_equal(
        evm_events_load_memory("c.csv", csv.data, csv.len, &co, &ev, &err),
        EVM_OK);
    assert_int_equal(evm_events_count(ev), 43);
    assert_int_equal(evm_events_placed_count(ev, EVM_PLACE_GEONAMES), 2);
    assert_int_equal(evm_events_placed_count(ev, EVM_PLACE_NATURAL_EARTH), 1);
    size_t without_rajin[] = {0, 2, 3, 41}, only_last[] = {42};
    assert_int_equal(evm_events_subset(ev, without_rajin, 4, &sub, &err),
                     EVM_OK);
    assert_int_equal(evm_events_placed_count(sub, EVM_PLACE_GEONAMES), 0);

    evm_context_t *ctx;
    evm_geodata_t *gd;
    assert_int_equal(evm_context_create(&ctx, &err), EVM_OK);
    assert_int_equal(evm_geodata_open(NULL, &gd, &err), EVM_OK);
    evm_map_options_t mo;
    evm_map_options_init(&mo);
    mo.width_px = 900;
    mo.height_px = 600;
    mo.has_size = true;
    mo.source = "Reports";
    char text[2048];
    const evm_events_t *maps[] = {ev, sub};
    for (int k = 0; k < 2; k++) {
        evm_scene_t *sc = NULL;
        assert_int_equal(evm_map_layout(ctx, maps[k], gd, &mo, &sc, &err),
                         EVM_OK);
        source_line(sc, text, sizeof text);
        if (k == 0)
            assert_non_null(strstr(text, "Reports  ·  Places: GeoNames (CC BY "
                                         "4.0)  ·  Base map: Natural Earth"));
        else
            assert_null(strstr(text, "GeoNames"));
        assert_non_null(strstr(text, "Reports"));
        evm_scene_destroy(sc);
    }
    /* A place named outside the events that GeoNames placed: the same
     * credit on a map of events it placed none of. */
    mo.geonames_places = 1;
    evm_scene_t *sc = NULL;
    assert_int_equal(evm_map_layout(ctx, sub, gd, &mo, &sc, &err), EVM_OK);
    source_line(sc, text, sizeof text);
    assert_non_null(strstr(text, "Reports  ·  Places: GeoNames (CC BY "
                                 "4.0)  ·  Base map: Natural Earth"));
    evm_scene_destroy(sc);
    /* A name a lookup resolves (a distance line's, the centre) is
     * counted when a GeoNames city places it, for the same credit. */
    size_t picks = 0;
    evm_place_lookup_t lk = {
        .events = ev, .gazetteer = g, .geonames_picks = &picks};
    evm_place_t pl;
    assert_int_equal(evm_place_lookup(&lk, "Busan", &pl, NULL, &err), EVM_OK);
    assert_int_equal(picks, 0); /* Natural Earth: no event of the file */
    assert_int_equal(evm_place_lookup(&lk, "Seoul", &pl, NULL, &err), EVM_OK);
    assert_int_equal(picks, 0); /* an event of the file */
    assert_int_equal(evm_place_lookup(&lk, "Kstovo", &pl, NULL, &err), EVM_OK);
    assert_int_equal(picks, 1);
    assert_true(fabs(pl.lat_deg - 56.15) < 0.1 &&
                fabs(pl.lon_deg - 44.2) < 0.1);
    /* A subset of only the row placed at the earlier Rajin. */
    evm_events_destroy(sub);
    assert_int_equal(evm_events_subset(ev, only_last, 1, &sub, &err), EVM_OK);
    assert_int_equal(evm_events_placed_count(sub, EVM_PLACE_GEONAMES), 1);
    evm_events_destroy(sub);
    evm_geodata_destroy(gd);
    evm_context_destroy(ctx);
    evm_events_destroy(ev);
    evm_gazetteer_destroy(g);
    evm_buf_free(&csv);
}

static void springfield_is_ambiguous(void **state)
{
    (void)state;
    evm_gazetteer_t *g = gaz_new(NULL);
    evm_geocode_t r;
    evm_error_t err;
    assert_int_equal(evm_gazetteer_lookup(g, "Springfield", NULL, &r, &err),
                     EVM_OK);
    assert_true(r.n_others >= 5);
    /* The most populous first, the others in decreasing order. */
    assert_true(r.place.population >= r.others[0].population);
    for (size_t i = 1; i < r.n_others; i++)
        assert_true(r.others[i - 1].population >= r.others[i].population);
    char msg[2048];
    assert_true(evm_geocode_warning(&r, "Springfield", msg, sizeof msg));
    assert_non_null(strstr(msg, "Illinois"));
    assert_non_null(strstr(msg, "Missouri"));
    evm_geocode_clear(&r);

    /* A hint narrows: "Paris" in France, "Paris, US" and --country US
     * in the United States; a hint no candidate has fails. */
    assert_int_equal(evm_gazetteer_lookup(g, "Paris", NULL, &r, &err), EVM_OK);
    assert_string_equal(r.place.country, "FR");
    evm_geocode_clear(&r);
    assert_int_equal(evm_gazetteer_lookup(g, "Paris, US", NULL, &r, &err),
                     EVM_OK);
    assert_string_equal(r.place.country, "US");
    evm_geocode_clear(&r);
    assert_int_equal(evm_gazetteer_lookup(g, "Paris", "us", &r, &err), EVM_OK);
    assert_string_equal(r.place.country, "US");
    evm_geocode_clear(&r);
    assert_int_equal(
        evm_gazetteer_lookup(g, "Paris", "United States of America", &r, &err),
        EVM_OK);
    assert_string_equal(r.place.country, "US");
    evm_geocode_clear(&r);
    assert_int_equal(evm_gazetteer_lookup(g, "Seoul", "KP", &r, &err),
                     EVM_ERR_NOT_FOUND);
    assert_non_null(strstr(err.message, "South Korea"));
    evm_gazetteer_destroy(g);
}

static void folding_and_spellings(void **state)
{
    (void)state;
    char out[EVM_FOLD_MAX];
    assert_true(evm_fold_name("P'yŏngyang", out, sizeof out));
    assert_string_equal(out, "pyongyang");
    assert_true(evm_fold_name("  Petropavlovsk-Kamchatskiy ", out, sizeof out));
    assert_string_equal(out, "petropavlovsk kamchatskiy");
    assert_true(evm_fold_name("São Paulo", out, sizeof out));
    assert_string_equal(out, "sao paulo");
    assert_true(evm_fold_name("Straße Łódź Æbeltoft", out, sizeof out));
    assert_string_equal(out, "strasse lodz aebeltoft");
    assert_true(evm_fold_name("Москва", out, sizeof out));
    assert_string_equal(out, "Москва");
    assert_false(evm_fold_name("Seoul", out, 3));

    evm_gazetteer_t *g = gaz_new(NULL);
    static const char *const same[][2] = {{"Kiev", "KYIV"},
                                          {"Pyongyang", "P'yŏngyang"},
                                          {"Odessa", "Odesa"},
                                          {"Sao Paulo", "SÃO PAULO"}};
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        evm_geocode_t a, b;
        evm_error_t err;
        assert_int_equal(evm_gazetteer_lookup(g, same[i][0], NULL, &a, &err),
                         EVM_OK);
        assert_int_equal(evm_gazetteer_lookup(g, same[i][1], NULL, &b, &err),
                         EVM_OK);
        assert_true(km(a.place.lat_deg, a.place.lon_deg, b.place.lat_deg,
                       b.place.lon_deg) < 1);
        evm_geocode_clear(&a);
        evm_geocode_clear(&b);
    }
    evm_geocode_t r;
    evm_error_t err;
    assert_int_equal(evm_gazetteer_lookup(g, "Vladivostk", NULL, &r, &err),
                     EVM_ERR_NOT_FOUND);
    assert_non_null(strstr(err.message, "did you mean Vladivostok"));
    assert_int_equal(evm_gazetteer_lookup(g, "", NULL, &r, &err),
                     EVM_ERR_INVALID_ARG);
    evm_gazetteer_destroy(g);
}

static void user_places_first(void **state)
{
    (void)state;
    char *dir = evm_test_temp_dir("gaz");
    char *path = evm_test_path(dir, "places.csv");
    static const char csv[] = "name,lat,lon,country\n"
                              "Seoul,1.5,2.5,XX\nDepot 7,3,4,\n";
    assert_int_equal(evm_test_write_file(path, csv, strlen(csv)), 0);
    evm_gazetteer_t *g = gaz_new(path);
    evm_geocode_t r;
    evm_error_t err;
    assert_int_equal(evm_gazetteer_lookup(g, "seoul", NULL, &r, &err), EVM_OK);
    assert_true(r.place.lat_deg == 1.5 && r.place.lon_deg == 2.5);
    assert_int_equal(r.place.source, EVM_PLACE_USER);
    assert_int_equal(r.n_others, 0);
    evm_geocode_clear(&r);
    assert_int_equal(evm_gazetteer_lookup(g, "Depot 7", NULL, &r, &err),
                     EVM_OK);
    evm_geocode_clear(&r);

    /* Output: CSV and JSON read back. */
    const char *names[] = {"Depot 7", "Springfield", "Nowhereville"};
    evm_test_buffer_t buf = {0};
    size_t failed = 0;
    assert_int_equal(evm_gazetteer_write(g, names, NULL, 3, EVM_DIST_JSON,
                                         evm_test_buffer_write, &buf, NULL,
                                         NULL, &failed, &err),
                     EVM_OK);
    assert_int_equal(failed, 1);
    json_error_t je;
    json_t *j = json_loadb((const char *)buf.data, buf.len, 0, &je);
    assert_non_null(j);
    assert_int_equal(json_array_size(j), 2);
    json_t *sp = json_array_get(j, 1);
    assert_string_equal(json_string_value(json_object_get(sp, "query")),
                        "Springfield");
    assert_true(json_array_size(json_object_get(sp, "alternatives")) >= 5);
    json_decref(j);
    free(buf.data);

    /* A broken places file fails with its line. */
    static const char bad[] = "name,lat,lon\nX,95,0\n";
    assert_int_equal(evm_test_write_file(path, bad, strlen(bad)), 0);
    evm_gazetteer_options_t o;
    evm_gazetteer_options_init(&o);
    o.geodata_dir = EVM_SOURCE_DIR "/geodata";
    o.places_path = path;
    evm_gazetteer_t *g2 = NULL;
    assert_int_equal(evm_gazetteer_create(&o, &g2, &err), EVM_ERR_PARSE);
    assert_int_equal(err.line, 2);
    evm_gazetteer_destroy(g);
    free(path);
    evm_test_remove_dir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_within_10_km),
        cmocka_unit_test(events_with_names_only),
        cmocka_unit_test(mixed_rows_and_failures),
        cmocka_unit_test(geonames_credit_follows_events),
        cmocka_unit_test(springfield_is_ambiguous),
        cmocka_unit_test(folding_and_spellings),
        cmocka_unit_test(user_places_first),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
