/* Batch generation: the option applier shared with `render`, jobs files
 * and their errors with line numbers, placeholders made filename-safe,
 * one job per event and per period, shards (Slurm's environment
 * included), the geodesic circle's extent, event subsets, and a small
 * parallel run whose outputs do not depend on the thread count. */
#define _POSIX_C_SOURCE 200809L

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <evmap/batch.h>
#include <evmap/geodesy.h>
#include <evmap/map.h>

#include "batch/batch_internal.h"
#include "map/extent.h"
#include "testutil.h"

#define EXAMPLE EVM_SOURCE_DIR "/examples/korea-russia-2023/events.csv"
#define TOUR EVM_SOURCE_DIR "/examples/tour-de-france-2023/events.csv"

static char *fmt_err(const evm_error_t *e)
{
    static char buf[2048];
    evm_error_format(e, buf, sizeof buf);
    return buf;
}

/* ---- the option applier ----------------------------------------------- */

static void test_options_values(void **state)
{
    (void)state;
    evm_map_options_t o;
    evm_map_options_init(&o);
    evm_error_t e;
    assert_int_equal(evm_map_options_set(&o, "size", "800x600", &e), EVM_OK);
    assert_true(o.width_px == 800 && o.height_px == 600);
    assert_int_equal(evm_map_options_set(&o, "DPI", "144", &e), EVM_OK);
    assert_true(o.dpi == 144);
    assert_int_equal(evm_map_options_set(&o, "extent", "170,-50,-170,-30", &e),
                     EVM_OK);
    assert_true(o.has_extent && o.extent[0] == 170 && o.extent[2] == -170);
    assert_int_equal(evm_map_options_set(&o, "basemap", "50m", &e), EVM_OK);
    assert_int_equal(o.basemap, EVM_BASEMAP_50M);
    assert_int_equal(evm_map_options_set(&o, "units", "nmi", &e), EVM_OK);
    assert_int_equal(o.units, EVM_UNITS_NMI);
    assert_int_equal(evm_map_options_set(&o, "title", "T", &e), EVM_OK);
    assert_string_equal(o.title, "T");
    assert_int_equal(evm_map_options_set(&o, "no_legend", "", &e), EVM_OK);
    assert_false(o.legend);
    assert_int_equal(evm_map_options_set(&o, "legend", "yes", &e), EVM_OK);
    assert_true(o.legend);
    assert_int_equal(evm_map_options_set(&o, "scale_bar", "off", &e), EVM_OK);
    assert_false(o.scale_bar);
    assert_int_equal(evm_map_options_set(&o, "no-graticule", "no", &e), EVM_OK);
    assert_true(o.graticule);
    assert_int_equal(evm_map_options_set(&o, "proj", "", &e), EVM_OK);
    assert_null(o.proj);
}

static void test_options_errors(void **state)
{
    (void)state;
    static const struct {
        const char *key, *value, *msg;
    } bad[] = {
        {"size", "63x100", "size \"63x100\" is not valid: expected WxH"},
        {"size", "100", "expected WxH"},
        {"size", "1e3x100.5", "expected WxH"},
        {"dpi", "nan", "dpi \"nan\" is not valid: expected a number in"},
        {"dpi", "5", "10..2400"},
        {"extent", "1,2,3", "expected W,S,E,N"},
        {"extent", "0,50,10,40", "S < N"},
        {"extent", "0,0,0,10", "expected W,S,E,N"},
        {"basemap", "20m", "expected auto, 110m, 50m or 10m"},
        {"units", "ft", "expected km, mi, nmi or m"},
        {"legend", "maybe", "expected yes or no"},
        {"font", "", "expected a font family"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        evm_map_options_t o, before;
        evm_map_options_init(&o);
        before = o;
        evm_error_t e;
        assert_int_equal(evm_map_options_set(&o, bad[i].key, bad[i].value, &e),
                         EVM_ERR_INVALID_ARG);
        if (!strstr(e.message, bad[i].msg))
            fail_msg("%s=%s: \"%s\" lacks \"%s\"", bad[i].key, bad[i].value,
                     e.message, bad[i].msg);
        assert_memory_equal(&o, &before, sizeof o); /* unchanged */
    }
    evm_map_options_t o;
    evm_map_options_init(&o);
    evm_error_t e;
    assert_int_equal(evm_map_options_set(&o, "colour", "red", &e),
                     EVM_ERR_NOT_FOUND);
    assert_false(evm_map_options_has_key("colour"));
    assert_true(evm_map_options_has_key("Scale_Bar"));
}

/* ---- shards ----------------------------------------------------------- */

static void test_shard_parse(void **state)
{
    (void)state;
    evm_shard_t s;
    evm_error_t e;
    assert_int_equal(evm_shard_parse("2/3", &s, &e), EVM_OK);
    assert_true(s.index == 2 && s.count == 3);
    assert_int_equal(evm_shard_parse("0/1", &s, &e), EVM_OK);
    const char *bad[] = {"3/3", "1/0", "-1/3",  "1",    "1/",
                         "/2",  "a/b", "1/2/3", "1 /2", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(evm_shard_parse(bad[i], &s, &e), EVM_ERR_INVALID_ARG);
    assert_non_null(strstr(e.message, "K/N"));
}

/* ---- jobs files ------------------------------------------------------- */

static evm_status add_text(evm_batch_t *b, const char *text, evm_error_t *e)
{
    return evm_batch_add_jobs_memory(b, "jobs.csv", text, strlen(text), e);
}

static void test_jobs_file_errors(void **state)
{
    (void)state;
    static const struct {
        const char *text, *msg;
    } bad[] = {
        {"output,colour\na.png,red\n",
         "jobs.csv:1:8: unknown column \"colour\""},
        {"output,title,Title\na.png,x,y\n",
         "jobs.csv:1:14: column \"title\" appears twice"},
        {"output,title\na.png,x\nb.png\n", "jobs.csv:3:"},
        {"output,title\na.png,\"x\n", "jobs.csv:2:"},
        {"", "jobs.csv: file is empty"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        evm_batch_t *b;
        evm_error_t e;
        assert_int_equal(evm_batch_create(&b, &e), EVM_OK);
        assert_int_not_equal(add_text(b, bad[i].text, &e), EVM_OK);
        char *m = fmt_err(&e);
        if (strncmp(m, bad[i].msg, strlen(bad[i].msg)) != 0)
            fail_msg("case %zu: \"%s\" does not start with \"%s\"", i, m,
                     bad[i].msg);
        assert_int_equal(evm_batch_count(b), 0); /* taken back */
        evm_batch_destroy(b);
    }
}

static void test_jobs_values_and_rows(void **state)
{
    (void)state;
    evm_batch_t *b;
    evm_error_t e;
    assert_int_equal(evm_batch_create(&b, &e), EVM_OK);
    assert_int_equal(evm_batch_set_default(b, "title", "Default", &e), EVM_OK);
    assert_int_equal(evm_batch_set_default(b, "events", EXAMPLE, &e), EVM_OK);
    assert_int_equal(evm_batch_set_default(b, "bogus", "x", &e),
                     EVM_ERR_NOT_FOUND);
    const char *text = "Output,title,center,Radius_KM\n"
                       "out/{name}-{kind}.png,,Pyongyang,300\n"
                       "out/b.png,  Row title ,,\n"
                       "out/{name}.png,,Atlantis,\n"
                       "out/{nope}.png,,,\n"
                       "out/b.png,,,\n"
                       ",,,\n";
    assert_int_equal(add_text(b, text, &e), EVM_OK);
    assert_int_equal(evm_batch_count(b), 6);
    assert_string_equal(
        evm_batch_value(b, 0, (batch_key)evm_batch_key_find("title")),
        "Default");
    assert_string_equal(
        evm_batch_value(b, 1, (batch_key)evm_batch_key_find("title")),
        "Row title");
    assert_string_equal(evm_batch_value(b, 0, KEY_RADIUS_KM), "300");
    assert_int_equal(evm_batch_prepare(b, &e), EVM_OK);
    assert_string_equal(evm_batch_output(b, 0), "out/Pyongyang-capital.png");
    assert_string_equal(evm_batch_output(b, 1), "out/b.png");
    /* Each bad row has its own error, placed at its line. */
    assert_null(evm_batch_output(b, 2));
    assert_non_null(strstr(fmt_err(b->jobs[2].error), "jobs.csv:4: "));
    assert_non_null(strstr(fmt_err(b->jobs[2].error), "Atlantis"));
    assert_null(evm_batch_output(b, 3));
    assert_non_null(strstr(fmt_err(b->jobs[3].error),
                           "jobs.csv:5: \"out/{nope}.png\": unknown "
                           "placeholder {nope}"));
    assert_non_null(strstr(fmt_err(b->jobs[4].error),
                           "jobs.csv:6: output \"out/b.png\" is also "
                           "written by jobs.csv:3"));
    assert_null(b->jobs[1].error); /* the first writer keeps the name */
    assert_non_null(strstr(fmt_err(b->jobs[5].error), "jobs.csv:7: no output"));
    evm_batch_destroy(b);
}

/* ---- placeholders ----------------------------------------------------- */

static void test_placeholders(void **state)
{
    (void)state;
    evm_batch_t *b;
    evm_error_t e;
    assert_int_equal(evm_batch_create(&b, &e), EVM_OK);
    assert_int_equal(evm_batch_add_each_event(b, EXAMPLE, "m/{n}.png", &e),
                     EVM_OK);
    assert_int_equal(evm_batch_count(b), 10);
    char *s;
    /* "Vostochny Cosmodrome" (2nd), "Cheongju International Airport". */
    assert_int_equal(
        evm_batch_expand(b, 1, "{n}_{name}_{kind}_{id}.png", true, &s, &e),
        EVM_OK);
    assert_string_equal(s, "02_Vostochny_Cosmodrome_summit_2.png");
    free(s);
    assert_int_equal(evm_batch_expand(b, 1, "{name} {{x}}", false, &s, &e),
                     EVM_OK);
    assert_string_equal(s, "Vostochny Cosmodrome {x}");
    free(s);
    /* An empty date becomes "_" in a file name. */
    assert_int_equal(evm_batch_expand(b, 3, "{date}", true, &s, &e), EVM_OK);
    assert_string_equal(s, "_");
    free(s);
    assert_int_equal(evm_batch_expand(b, 0, "{date}", true, &s, &e), EVM_OK);
    assert_string_equal(s, "2023-10-19");
    free(s);
    assert_int_equal(evm_batch_expand(b, 0, "{oops", true, &s, &e),
                     EVM_ERR_INVALID_ARG);
    evm_batch_destroy(b);

    /* Unsafe characters in values, from an events file in memory. */
    char dir[] = "/tmp/evm_batch_ph_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/ev.csv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("name,lat,lon,kind,id\n"
          "\"a/b\\\\c: d*e?\",1,2,x|y,ID-7\n"
          ".hidden,1,2,,\n"
          "Ünïcödé ok,1,2,,\n",
          f);
    fclose(f);
    assert_int_equal(evm_batch_create(&b, &e), EVM_OK);
    assert_int_equal(evm_batch_add_each_event(b, path, "{name}.png", &e),
                     EVM_OK);
    assert_int_equal(evm_batch_expand(b, 0, "{name}-{kind}-{id}", true, &s, &e),
                     EVM_OK);
    assert_string_equal(s, "a_b__c__d_e_-x_y-ID-7");
    free(s);
    assert_int_equal(evm_batch_expand(b, 1, "{name}", true, &s, &e), EVM_OK);
    assert_string_equal(s, "_hidden");
    free(s);
    assert_int_equal(evm_batch_expand(b, 2, "{name}", true, &s, &e), EVM_OK);
    assert_string_equal(s, "Ünïcödé_ok");
    free(s);
    evm_batch_destroy(b);
    unlink(path);
    rmdir(dir);
}

/* ---- frames ----------------------------------------------------------- */

static void test_frames(void **state)
{
    (void)state;
    evm_batch_t *b;
    evm_error_t e;
    assert_int_equal(evm_batch_create(&b, &e), EVM_OK);
    assert_int_equal(evm_batch_add_frames(b, TOUR, EVM_FRAMES_DAILY, false,
                                          "f/{date}.png", &e),
                     EVM_OK);
    assert_int_equal(evm_batch_count(b), 7);
    assert_int_equal(evm_batch_prepare(b, &e), EVM_OK);
    assert_string_equal(evm_batch_output(b, 0), "f/2023-07-01.png");
    assert_string_equal(evm_batch_output(b, 6), "f/2023-07-07.png");
    /* Every frame has the same extent, holding every event. */
    for (size_t j = 1; j < 7; j++)
        assert_memory_equal(b->jobs[j].extent, b->jobs[0].extent,
                            sizeof b->jobs[0].extent);
    assert_true(b->jobs[0].extent[0] < -2.935 && b->jobs[0].extent[2] > -0.033);
    evm_batch_destroy(b);

    /* 2023-07-01 is a Saturday: its ISO week starts on 26 June, and the
     * 7th (a Friday) is in the week of 3 July. */
    assert_int_equal(evm_batch_create(&b, &e), EVM_OK);
    assert_int_equal(evm_batch_add_frames(b, TOUR, EVM_FRAMES_WEEKLY, true,
                                          "w/{date}.png", &e),
                     EVM_OK);
    assert_int_equal(evm_batch_count(b), 2);
    assert_int_equal(evm_batch_prepare(b, &e), EVM_OK);
    assert_string_equal(evm_batch_output(b, 0), "w/2023-06-26.png");
    assert_string_equal(evm_batch_output(b, 1), "w/2023-07-03.png");
    char label[64];
    evm_batch_frame_label(&b->jobs[1], label, sizeof label);
    assert_string_equal(label, "week of 2023-07-03");
    evm_batch_destroy(b);

    /* A frame of the default-filtered events; none dated is an error. */
    assert_int_equal(evm_batch_create(&b, &e), EVM_OK);
    assert_int_equal(evm_batch_set_default(b, "since", "2023-07-05", &e),
                     EVM_OK);
    assert_int_equal(evm_batch_add_frames(b, TOUR, EVM_FRAMES_DAILY, false,
                                          "f/{date}.png", &e),
                     EVM_OK);
    assert_int_equal(evm_batch_count(b), 3);
    evm_batch_destroy(b);
    assert_int_equal(evm_batch_create(&b, &e), EVM_OK);
    assert_int_equal(evm_batch_set_default(b, "since", "2024", &e), EVM_OK);
    assert_int_equal(evm_batch_add_frames(b, TOUR, EVM_FRAMES_DAILY, false,
                                          "f/{date}.png", &e),
                     EVM_ERR_INVALID_ARG);
    assert_non_null(strstr(e.message, "no dated event"));
    evm_batch_destroy(b);
    evm_frames fr;
    assert_int_equal(evm_frames_parse("Weekly", &fr), EVM_OK);
    assert_int_equal(fr, EVM_FRAMES_WEEKLY);
    assert_int_equal(evm_frames_parse("hourly", &fr), EVM_ERR_INVALID_ARG);
}

/* ---- geometry and subsets --------------------------------------------- */

static void test_circle_extent(void **state)
{
    (void)state;
    double x[4];
    /* On the equator, 111.32 km is about 1 degree each way. */
    evm_circle_extent(0, 10, 111319.49, x);
    assert_float_equal(x[0], 9, 0.01);
    assert_float_equal(x[2], 11, 0.01);
    assert_float_equal(x[1], -1, 0.01);
    assert_float_equal(x[3], 1, 0.01);
    /* Across the antimeridian: W > E. */
    evm_circle_extent(-17, 179.5, 200e3, x);
    assert_true(x[0] > 177 && x[0] < 178 && x[2] < -178 && x[2] > -179);
    /* Around a pole: every longitude, up to the pole. */
    evm_circle_extent(89, 0, 300e3, x);
    assert_true(x[0] == -180 && x[2] == 180 && x[3] == 90);
}

/* The distance-line options render and batch share: their error kinds
 * and messages, land-border-only for borders before and after it, and
 * the lines the map options borrow. */
static void test_distance_options(void **state)
{
    (void)state;
    evm_events_t *ev;
    evm_map_distance_opts_t *d;
    evm_error_t e;
    assert_int_equal(evm_events_load_file(EXAMPLE, NULL, &ev, &e), EVM_OK);
    assert_int_equal(evm_map_distance_opts_create(&d, &e), EVM_OK);
    assert_true(evm_map_distance_opts_has_key("Border_Distance"));
    assert_true(evm_map_distance_opts_has_key("Route_Styles"));
    assert_false(evm_map_distance_opts_has_key("route"));
    assert_int_equal(evm_map_distance_opts_set(d, ev, "distance", "Seoul", &e),
                     EVM_ERR_INVALID_ARG);
    assert_string_equal(e.message, "distance needs FROM:TO, not \"Seoul\"");
    assert_int_equal(
        evm_map_distance_opts_set(d, ev, "distance", "Seoul:Pyongyan", &e),
        EVM_ERR_NOT_FOUND);
    assert_non_null(strstr(e.message, "distance Seoul:Pyongyan: "));
    assert_non_null(strstr(e.message, "did you mean"));
    assert_int_equal(
        evm_map_distance_opts_set(d, ev, "border-distance", "Seoul", &e),
        EVM_ERR_INVALID_ARG);
    assert_int_equal(
        evm_map_distance_opts_set(d, ev, "land_border_only", "maybe", &e),
        EVM_ERR_INVALID_ARG);
    assert_int_equal(evm_map_distance_opts_set(d, ev, "route", "x", &e),
                     EVM_ERR_NOT_FOUND);
    assert_int_equal(
        evm_map_distance_opts_set(d, ev, "routes", "/nonexistent/r.csv", &e),
        EVM_ERR_IO);
    /* Errors left nothing behind. */
    evm_map_options_t mo;
    evm_map_options_init(&mo);
    evm_map_distance_opts_apply(d, &mo);
    assert_int_equal(mo.n_distances, 0);
    assert_int_equal(mo.n_border_distances, 0);
    assert_int_equal(
        evm_map_distance_opts_set(d, ev, "distance", "Seoul:37.77,-122.42", &e),
        EVM_OK);
    assert_int_equal(
        evm_map_distance_opts_set(d, ev, "border-distance", "Seoul:PRK", &e),
        EVM_OK);
    assert_int_equal(
        evm_map_distance_opts_set(d, ev, "land-border-only", "", &e), EVM_OK);
    assert_int_equal(
        evm_map_distance_opts_set(d, NULL, "border-distance", "38,127:KOR", &e),
        EVM_OK);
    evm_map_distance_opts_apply(d, &mo);
    assert_int_equal(mo.n_distances, 1);
    assert_true(fabs(mo.distances[0].lat2_deg - 37.77) < 1e-12);
    assert_int_equal(mo.n_border_distances, 2);
    assert_string_equal(mo.border_distances[0].country, "PRK");
    assert_true(mo.border_distances[0].land_only);
    assert_true(mo.border_distances[1].land_only);
    evm_map_distance_opts_destroy(d);
    evm_map_distance_opts_destroy(NULL);
    evm_events_destroy(ev);
}

static void test_events_subset(void **state)
{
    (void)state;
    evm_events_t *ev, *sub;
    evm_error_t e;
    assert_int_equal(evm_events_load_file(EXAMPLE, NULL, &ev, &e), EVM_OK);
    size_t idx[] = {3, 0, 3};
    assert_int_equal(evm_events_subset(ev, idx, 3, &sub, &e), EVM_OK);
    assert_int_equal(evm_events_count(sub), 3);
    assert_string_equal(evm_events_get(sub, 0)->name, "Seoul");
    assert_string_equal(evm_events_get(sub, 1)->name, "Pyongyang");
    assert_int_equal(evm_events_get(sub, 0)->line, 5);
    assert_int_equal(evm_events_column_count(sub), 6);
    assert_string_equal(evm_events_value(sub, 1, 5),
                        evm_events_value(ev, 0, 5));
    assert_int_equal(evm_events_filtered_count(sub), 7);
    size_t found;
    assert_int_equal(evm_events_find(sub, "pyongyang", &found, &e), EVM_OK);
    assert_int_equal(found, 1);
    evm_events_destroy(sub);
    size_t bad = 10;
    assert_int_equal(evm_events_subset(ev, &bad, 1, &sub, &e),
                     EVM_ERR_INVALID_ARG);
    assert_int_equal(evm_events_subset(ev, NULL, 0, &sub, &e), EVM_OK);
    assert_int_equal(evm_events_count(sub), 0);
    evm_events_destroy(sub);
    evm_events_destroy(ev);
}

/* ---- a run ------------------------------------------------------------ */

typedef struct counts {
    size_t written, failed, skipped, ticks;
} counts_t;

static void count_report(void *user, const evm_batch_report_t *r)
{
    counts_t *c = user;
    if (r->outcome == EVM_BATCH_WRITTEN)
        c->written++;
    else if (r->outcome == EVM_BATCH_FAILED)
        c->failed++;
    else if (r->outcome == EVM_BATCH_SKIPPED)
        c->skipped++;
    else
        c->ticks++;
}

static void run_into(const char *dir, unsigned threads, bool resume,
                     counts_t *c, evm_batch_summary_t *sum)
{
    char pattern[512];
    snprintf(pattern, sizeof pattern, "%s/{n}-{name}.png", dir);
    evm_batch_t *b;
    evm_geodata_t *g;
    evm_error_t e;
    assert_int_equal(evm_batch_create(&b, &e), EVM_OK);
    assert_int_equal(evm_batch_set_default(b, "size", "320x200", &e), EVM_OK);
    assert_int_equal(evm_batch_set_default(b, "radius-km", "300", &e), EVM_OK);
    assert_int_equal(evm_batch_add_each_event(b, EXAMPLE, pattern, &e), EVM_OK);
    assert_int_equal(evm_batch_prepare(b, &e), EVM_OK);
    assert_int_equal(evm_geodata_open(NULL, &g, &e), EVM_OK);
    evm_batch_run_options_t o;
    evm_batch_run_options_init(&o);
    o.threads = threads;
    o.geodata = g;
    o.resume = resume;
    o.report = count_report;
    o.report_user = c;
    evm_status st = evm_batch_run(b, &o, sum, &e);
    if (st)
        fail_msg("%s", fmt_err(&e));
    evm_geodata_destroy(g);
    evm_batch_destroy(b);
}

static void test_run_same_bytes(void **state)
{
    (void)state;
    char d1[] = "/tmp/evm_batch_run1_XXXXXX",
         d2[] = "/tmp/evm_batch_run2_XXXXXX";
    assert_non_null(mkdtemp(d1));
    assert_non_null(mkdtemp(d2));
    counts_t c1 = {0}, c2 = {0}, c3 = {0};
    evm_batch_summary_t s1, s2, s3;
    run_into(d1, 1, false, &c1, &s1);
    run_into(d2, 3, false, &c2, &s2);
    assert_int_equal(c1.written, 10);
    assert_int_equal(c2.written, 10);
    assert_int_equal(s2.total, 10);
    assert_int_equal(s2.written, 10);
    assert_int_equal(s2.failed + s2.not_run, 0);
    /* The same bytes whatever the number of threads. */
    const char *names[] = {"01-Pyongyang.png", "04-Seoul.png",
                           "06-Beijing.png"};
    for (size_t i = 0; i < 3; i++) {
        char *p1 = evm_test_path(d1, names[i]),
             *p2 = evm_test_path(d2, names[i]);
        size_t n1, n2;
        char *a = evm_test_read_file(p1, &n1), *b = evm_test_read_file(p2, &n2);
        assert_non_null(a);
        assert_non_null(b);
        assert_int_equal(n1, n2);
        assert_memory_equal(a, b, n1);
        free(a);
        free(b);
        free(p1);
        free(p2);
    }
    /* Resume: everything is up to date. */
    run_into(d2, 2, true, &c3, &s3);
    assert_int_equal(c3.skipped, 10);
    assert_int_equal(s3.written, 0);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf %s %s", d1, d2);
    assert_int_equal(system(cmd), 0);
}

/* Events files read lazily: a file is loaded by its first job, shared
 * by its jobs, freed after its last, and its rejected rows kept for the
 * report; a file whose jobs' output names use its events is loaded by
 * evm_batch_prepare. The maps are those of a batch that loads first. */
static void test_lazy_events_files(void **state)
{
    (void)state;
    char d[] = "/tmp/evm_batch_lazy_XXXXXX";
    assert_non_null(mkdtemp(d));
    char *f[3], jobs[4096];
    for (int i = 0; i < 3; i++) {
        char name[16];
        snprintf(name, sizeof name, "ev%d.csv", i);
        f[i] = evm_test_path(d, name);
        FILE *fp = fopen(f[i], "w");
        assert_non_null(fp);
        fprintf(fp, "name,lat,lon\nA%d,%d,%d\nB%d,38,127\n", i, 35 + i, 125 + i,
                i);
        if (i == 1)
            fprintf(fp, "bad,91,0\n"); /* rejected with skip_invalid */
        fclose(fp);
    }
    /* Files 0 and 1 for two jobs each, file 2 named in the output. */
    snprintf(jobs, sizeof jobs,
             "output,events,center\n%s/a.svg,%s,\n%s/b.svg,%s,\n"
             "%s/c.svg,%s,\n%s/d.svg,%s,\n%s/{name}.svg,%s,A2\n",
             d, f[0], d, f[1], d, f[0], d, f[1], d, f[2]);
    evm_batch_t *b;
    evm_geodata_t *g;
    evm_error_t e;
    assert_int_equal(evm_batch_create(&b, &e), EVM_OK);
    assert_int_equal(evm_batch_set_csv_options(b, NULL, true, &e), EVM_OK);
    assert_int_equal(evm_batch_set_default(b, "size", "320x200", &e), EVM_OK);
    assert_int_equal(
        evm_batch_add_jobs_memory(b, "jobs", jobs, strlen(jobs), &e), EVM_OK);
    assert_int_equal(evm_batch_prepare(b, &e), EVM_OK);
    assert_int_equal(evm_batch_events_file_count(b), 3);
    assert_null(evm_batch_events_file(b, 0));
    assert_null(evm_batch_events_file(b, 1));
    assert_non_null(evm_batch_events_file(b, 2));
    assert_string_equal(evm_batch_output(b, 4) + strlen(d), "/A2.svg");
    assert_int_equal(evm_batch_events_rejected_count(b, 1), 0);
    assert_int_equal(evm_geodata_open(NULL, &g, &e), EVM_OK);
    evm_batch_run_options_t o;
    evm_batch_run_options_init(&o);
    o.threads = 2;
    o.geodata = g;
    evm_batch_summary_t sum;
    assert_int_equal(evm_batch_run(b, &o, &sum, &e), EVM_OK);
    assert_int_equal(sum.written, 5);
    /* Freed after their last job; the rejected row kept. */
    assert_null(evm_batch_events_file(b, 0));
    assert_null(evm_batch_events_file(b, 1));
    assert_non_null(evm_batch_events_file(b, 2));
    assert_int_equal(evm_batch_events_rejected_count(b, 0), 0);
    assert_int_equal(evm_batch_events_rejected_count(b, 1), 1);
    assert_int_equal(evm_batch_events_rejected(b, 1, 0)->line, 4);
    /* Each map shows its own file's events. */
    char *svg = evm_test_path(d, "b.svg");
    size_t n;
    char *text = evm_test_read_file(svg, &n);
    assert_non_null(text);
    assert_non_null(strstr(text, "A1"));
    assert_null(strstr(text, "A0"));
    free(text);
    free(svg);
    evm_geodata_destroy(g);
    evm_batch_destroy(b);
    for (int i = 0; i < 3; i++)
        free(f[i]);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf %s", d);
    assert_int_equal(system(cmd), 0);
}

/* A map's text, or fails. Caller frees. */
static char *read_map(const char *dir, const char *name)
{
    char *path = evm_test_path(dir, name);
    size_t n;
    char *text = evm_test_read_file(path, &n);
    if (!text)
        fail_msg("%s was not written", path);
    free(path);
    return text;
}

/* The eight names, with reference positions from Wikipedia's
 * city articles (independent of both Natural Earth and GeoNames). */
static const struct {
    const char *name;
    double lat, lon;
} named[] = {
    {"Pyongyang", 39.0194, 125.7381},   {"Seoul", 37.5667, 126.9783},
    {"Vladivostok", 43.1167, 131.9000}, {"Rajin", 42.2500, 130.3000},
    {"Khabarovsk", 48.4833, 135.0833},  {"Tikhoretsk", 45.8500, 40.1167},
    {"Moscow", 55.7558, 37.6172},       {"Beijing", 39.9067, 116.3975},
};

static char *names_file(const char *dir, const char *name)
{
    char *path = evm_test_path(dir, name);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fprintf(fp, "name,kind,lat,lon\n");
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
        fprintf(fp, "%s,%s,,\n", named[i].name, i % 2 ? "b" : "a");
    fclose(fp);
    return path;
}

static void set_gazetteer(evm_batch_t *b, const char *places)
{
    evm_gazetteer_options_t go;
    evm_gazetteer_options_init(&go);
    go.geodata_dir = EVM_SOURCE_DIR "/geodata";
    go.places_path = places;
    evm_error_t e;
    assert_int_equal(evm_batch_set_gazetteer_options(b, &go, &e), EVM_OK);
}

/* Two jobs over one names-only file, one geocoding and one not, on two
 * threads: each gets its own load (the file read once per setting), the
 * first two jobs load two files that geocode at once (racing to make the
 * gazetteer, which ThreadSanitizer watches in `make tsan`), the
 * one without geocode has every row rejected and counted, the one with
 * places them all within 10 km of their positions, and each map credits
 * GeoNames only when GeoNames placed one of its own events (Rajin):
 * not the geocoding map whose filter leaves Rajin out. A bad geocode
 * cell fails that map alone. */
static void test_geocode_per_job(void **state)
{
    (void)state;
    char *d = evm_test_temp_dir("evm_batch_geocode");
    char *names = names_file(d, "names.csv"), jobs[4096];
    char *copy = names_file(d, "copy.csv");
    snprintf(jobs, sizeof jobs,
             "output,events,geocode,extent,where\n"
             "%s/on.svg,%s,yes,,\n"
             "%s/copy.svg,%s,yes,,\n"
             "%s/off.svg,%s,no,\"120,30,140,50\",\n"
             "%s/no-rajin.svg,%s,yes,,kind=a\n"
             "%s/rajin.svg,%s,yes,,kind=b\n"
             "%s/bad.svg,%s,maybe,,\n",
             d, names, d, copy, d, names, d, names, d, names, d, names);
    evm_batch_t *b;
    evm_geodata_t *g;
    evm_error_t e;
    assert_int_equal(evm_batch_create(&b, &e), EVM_OK);
    assert_int_equal(evm_batch_set_csv_options(b, NULL, true, &e), EVM_OK);
    set_gazetteer(b, NULL);
    assert_int_equal(evm_batch_set_default(b, "size", "480x320", &e), EVM_OK);
    assert_int_equal(
        evm_batch_add_jobs_memory(b, "jobs.csv", jobs, strlen(jobs), &e),
        EVM_OK);
    assert_int_equal(evm_batch_prepare(b, &e), EVM_OK);
    /* One path, two loads (and the copy's), all while the jobs run. */
    assert_int_equal(evm_batch_events_file_count(b), 3);
    assert_string_equal(evm_batch_events_file_path(b, 0), names);
    assert_string_equal(evm_batch_events_file_path(b, 1), copy);
    assert_string_equal(evm_batch_events_file_path(b, 2), names);
    assert_true(evm_batch_events_file_geocoded(b, 0));
    assert_true(evm_batch_events_file_geocoded(b, 1));
    assert_false(evm_batch_events_file_geocoded(b, 2));
    for (size_t i = 0; i < 3; i++)
        assert_null(evm_batch_events_file(b, i));
    assert_int_equal(evm_geodata_open(NULL, &g, &e), EVM_OK);
    evm_batch_run_options_t o;
    evm_batch_run_options_init(&o);
    o.threads = 2;
    o.geodata = g;
    counts_t c = {0};
    o.report = count_report;
    o.report_user = &c;
    evm_batch_summary_t sum;
    assert_int_equal(evm_batch_run(b, &o, &sum, &e), EVM_OK);
    assert_int_equal(sum.written, 5);
    assert_int_equal(sum.failed, 1);
    assert_int_equal(c.failed, 1);
    /* Without geocode every row is rejected, each with its line. */
    assert_int_equal(evm_batch_events_rejected_count(b, 0), 0);
    assert_int_equal(evm_batch_events_rejected_count(b, 1), 0);
    assert_int_equal(evm_batch_events_rejected_count(b, 2), 8);
    for (size_t k = 0; k < 8; k++) {
        const evm_error_t *r = evm_batch_events_rejected(b, 2, k);
        assert_int_equal(r->line, k + 2);
        assert_non_null(strstr(r->message, "latitude is empty"));
    }
    char *on = read_map(d, "on.svg"), *off = read_map(d, "off.svg"),
         *no_rajin = read_map(d, "no-rajin.svg"),
         *rajin = read_map(d, "rajin.svg"), *on2 = read_map(d, "copy.svg");
    assert_non_null(strstr(on, "Places: GeoNames (CC BY 4.0)"));
    assert_non_null(strstr(on2, "Places: GeoNames (CC BY 4.0)"));
    free(on2);
    assert_non_null(strstr(rajin, "Places: GeoNames (CC BY 4.0)"));
    assert_null(strstr(no_rajin, "GeoNames"));
    assert_null(strstr(off, "GeoNames"));
    assert_non_null(strstr(on, ">Rajin<"));
    assert_null(strstr(off, "Rajin"));
    assert_null(strstr(off, "data-event"));
    assert_non_null(strstr(no_rajin, ">Pyongyang<"));
    assert_null(strstr(no_rajin, "Rajin"));
    free(on);
    free(off);
    free(no_rajin);
    free(rajin);
    char *bad = evm_test_path(d, "bad.svg");
    assert_int_not_equal(access(bad, F_OK), 0);
    free(bad);
    evm_batch_destroy(b);

    /* The batch's geocoded load, kept (one map per event): every name
     * within 10 km of its position. */
    assert_int_equal(evm_batch_create(&b, &e), EVM_OK);
    set_gazetteer(b, NULL);
    assert_int_equal(evm_batch_set_default(b, "geocode", "yes", &e), EVM_OK);
    char pattern[512];
    snprintf(pattern, sizeof pattern, "%s/{name}.svg", d);
    assert_int_equal(evm_batch_add_each_event(b, names, pattern, &e), EVM_OK);
    const evm_events_t *ev = evm_batch_events_file(b, 0);
    assert_non_null(ev);
    assert_int_equal(evm_events_count(ev), 8);
    for (size_t i = 0; i < 8; i++) {
        const evm_event_t *x = evm_events_get(ev, i);
        double dist_m;
        evm_geodesic_inverse(x->lat_deg, x->lon_deg, named[i].lat, named[i].lon,
                             &dist_m, NULL, NULL);
        assert_string_equal(x->name, named[i].name);
        if (dist_m > 10000)
            fail_msg("%s is %.1f km off", x->name, dist_m / 1000);
    }
    evm_batch_destroy(b);

    /* No job geocodes: the gazetteer is never made, so a places file
     * that cannot be read fails no map; a job that geocodes fails with
     * its error. */
    snprintf(jobs, sizeof jobs,
             "output,events,geocode,extent\n"
             "%s/off2.svg,%s,no,\"120,30,140,50\"\n",
             d, names);
    for (int k = 0; k < 2; k++) {
        assert_int_equal(evm_batch_create(&b, &e), EVM_OK);
        assert_int_equal(evm_batch_set_csv_options(b, NULL, true, &e), EVM_OK);
        set_gazetteer(b, "/nonexistent/places.csv");
        assert_int_equal(evm_batch_set_default(b, "size", "320x200", &e),
                         EVM_OK);
        if (k == 1)
            assert_int_equal(evm_batch_set_default(b, "geocode", "yes", &e),
                             EVM_OK);
        char text[4096];
        if (k)
            snprintf(text, sizeof text, "output,events\n%s/on2.svg,%s\n", d,
                     names);
        else
            snprintf(text, sizeof text, "%s", jobs);
        assert_int_equal(
            evm_batch_add_jobs_memory(b, "j.csv", text, strlen(text), &e),
            EVM_OK);
        assert_int_equal(evm_batch_prepare(b, &e), EVM_OK);
        c = (counts_t){0};
        assert_int_equal(evm_batch_run(b, &o, &sum, &e), EVM_OK);
        assert_int_equal(sum.written, k ? 0 : 1);
        assert_int_equal(sum.failed, k ? 1 : 0);
        evm_batch_destroy(b);
    }
    evm_geodata_destroy(g);
    free(names);
    free(copy);
    evm_test_remove_dir(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_options_values),
        cmocka_unit_test(test_options_errors),
        cmocka_unit_test(test_shard_parse),
        cmocka_unit_test(test_jobs_file_errors),
        cmocka_unit_test(test_jobs_values_and_rows),
        cmocka_unit_test(test_placeholders),
        cmocka_unit_test(test_frames),
        cmocka_unit_test(test_circle_extent),
        cmocka_unit_test(test_distance_options),
        cmocka_unit_test(test_events_subset),
        cmocka_unit_test(test_run_same_bytes),
        cmocka_unit_test(test_lazy_events_files),
        cmocka_unit_test(test_geocode_per_job),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
