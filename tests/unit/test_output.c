/* The output layer (core/atomic_file.c, core/tempfile.c): temporary
 * names within NAME_MAX and cut on a character boundary, the mark a
 * sweep recognises, cancel before and during a write leaving nothing,
 * and the sweep taking only unlocked marked regular files. */
#define _DEFAULT_SOURCE

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/atomic_file.h"
#include "core/tempfile.h"
#include "core/text_escape.h"
#include "testutil.h"

static size_t entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(d);
    return n;
}

static void test_template(void **state)
{
    (void)state;
    char *t = evm_temp_template("maps/seoul.png");
    assert_string_equal(t, "maps/.seoul.png.evmap-tmp-XXXXXX");
    free(t);
    char name[300], path[310];
    memset(name, 'a', 255);
    name[255] = '\0';
    snprintf(path, sizeof path, "d/%s", name);
    t = evm_temp_template(path);
    assert_int_equal(strlen(t), 2 + 255);
    free(t);
    /* "é" is two bytes: a cut never splits it. */
    for (int i = 0; i < 127; i++)
        memcpy(name + 2 * i, "\xc3\xa9", 2);
    name[254] = '\0';
    t = evm_temp_template(name);
    assert_true(strlen(t) <= 255);
    const char *mark = strstr(t, EVM_TEMP_MARK);
    assert_non_null(mark);
    assert_int_equal((mark - t - 1) % 2, 0);
    free(t);
}

static void test_marked(void **state)
{
    (void)state;
    assert_true(evm_temp_is_marked(".a.png.evmap-tmp-Ab12Zz"));
    assert_true(evm_temp_is_marked("..evmap-tmp-000000"));
    assert_false(evm_temp_is_marked("a.png.evmap-tmp-Ab12Zz"));
    assert_false(evm_temp_is_marked(".a.png.evmap-tmp-Ab12Z"));
    assert_false(evm_temp_is_marked(".a.png.evmap-tmp-Ab12Z."));
    assert_false(evm_temp_is_marked(".a.png.XXXXXX"));
    assert_false(evm_temp_is_marked(".evmap-tmp-"));
}

typedef struct producer {
    int writes_before_cancel;
    int calls;
} producer_t;

static bool cancel_after(void *user)
{
    producer_t *p = user;
    return p->calls++ >= p->writes_before_cancel;
}

static evm_status produce(void *closure, evm_write_fn write, void *wc,
                          evm_error_t *err)
{
    (void)closure;
    (void)err;
    static const unsigned char chunk[100] = {0};
    for (int i = 0; i < 5; i++) {
        evm_status st = write(wc, chunk, sizeof chunk);
        if (st)
            return st;
    }
    return EVM_OK;
}

static void test_cancel(void **state)
{
    (void)state;
    char *dir = evm_test_temp_dir("evm-output");
    char *path = evm_test_path(dir, "m.png");
    evm_error_t err;
    producer_t p = {0, 0};
    evm_file_write_opts_t o = {.cancel = cancel_after, .cancel_user = &p};
    assert_int_equal(evm_file_write(path, &o, produce, NULL, &err),
                     EVM_ERR_CANCELLED);
    assert_int_equal(entries(dir), 0);
    p = (producer_t){3, 0}; /* during the write */
    assert_int_equal(evm_file_write(path, &o, produce, NULL, &err),
                     EVM_ERR_CANCELLED);
    assert_int_equal(entries(dir), 0);
    p = (producer_t){100, 0};
    o.fsync = true;
    assert_int_equal(evm_file_write(path, &o, produce, NULL, &err), EVM_OK);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_size, 500);
    assert_int_equal(entries(dir), 1);
    free(path);
    evm_test_remove_dir(dir);
}

/* A deferred write leaves only its marked temporary file until it is
 * committed (the target appears) or aborted (nothing is left). */
static void test_defer(void **state)
{
    (void)state;
    char *dir = evm_test_temp_dir("evm-output");
    char *path = evm_test_path(dir, "m.png");
    evm_error_t err;
    evm_file_pending_t *pending = NULL;
    evm_file_write_opts_t o = {.defer = &pending};
    assert_int_equal(evm_file_write(path, &o, produce, NULL, &err), EVM_OK);
    assert_non_null(pending);
    assert_int_equal(entries(dir), 1);
    assert_int_not_equal(access(path, F_OK), 0);
    evm_file_abort(pending);
    assert_int_equal(entries(dir), 0);

    assert_int_equal(evm_file_write(path, &o, produce, NULL, &err), EVM_OK);
    assert_int_equal(evm_file_commit(pending, &err), EVM_OK);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_size, 500);
    assert_int_equal(entries(dir), 1);
    evm_file_abort(NULL);
    assert_int_equal(evm_file_commit(NULL, &err), EVM_OK);
    free(path);
    evm_test_remove_dir(dir);
}

/* A name that is no file is refused before anything is written. */
static void test_names(void **state)
{
    (void)state;
    evm_error_t err;
    assert_int_equal(evm_file_name_check(NULL, &err), EVM_ERR_INVALID_ARG);
    assert_string_equal(err.message, "no output file name");
    assert_int_equal(evm_file_name_check("", &err), EVM_ERR_INVALID_ARG);
    assert_int_equal(evm_file_name_check("maps/", &err), EVM_ERR_INVALID_ARG);
    assert_string_equal(err.message, "not a file name");
    assert_string_equal(err.file, "maps/");
    assert_int_equal(evm_file_name_check("maps/m.png", &err), EVM_OK);
    assert_int_equal(evm_file_name_check("m", &err), EVM_OK);
    char *dir = evm_test_temp_dir("evm-output");
    char *folder = evm_test_path(dir, "sub/");
    producer_t p = {0, 0};
    evm_file_write_opts_t o = {.cancel = cancel_after, .cancel_user = &p};
    assert_int_equal(evm_file_write(folder, &o, produce, NULL, &err),
                     EVM_ERR_INVALID_ARG);
    assert_string_equal(err.message, "not a file name");
    assert_int_equal(p.calls, 0);
    assert_int_equal(entries(dir), 0);
    free(folder);
    evm_test_remove_dir(dir);
}

static void test_sweep(void **state)
{
    (void)state;
    char *dir = evm_test_temp_dir("evm-sweep");
    char *stale = evm_test_path(dir, ".a.png.evmap-tmp-Ab12Zz");
    char *held = evm_test_path(dir, ".b.png.evmap-tmp-Ab12Zy");
    char *other = evm_test_path(dir, ".c.png.XXXXXX");
    char *sub = evm_test_path(dir, ".d.evmap-tmp-Ab12Zx");
    assert_int_equal(evm_test_write_file(stale, "x", 1), 0);
    assert_int_equal(evm_test_write_file(held, "x", 1), 0);
    assert_int_equal(evm_test_write_file(other, "x", 1), 0);
    assert_int_equal(mkdir(sub, 0755), 0);
    int fd = open(held, O_RDWR);
    assert_true(fd >= 0);
    assert_int_equal(flock(fd, LOCK_EX), 0);
    assert_int_equal(evm_temp_sweep(dir), 1);
    assert_int_equal(access(stale, F_OK), -1);
    assert_int_equal(access(held, F_OK), 0);
    assert_int_equal(access(other, F_OK), 0);
    assert_int_equal(access(sub, F_OK), 0);
    close(fd); /* the writer dies */
    assert_int_equal(evm_temp_sweep(dir), 1);
    assert_int_equal(access(held, F_OK), -1);
    assert_int_equal(evm_temp_sweep("/nonexistent-evmap-dir"), 0);
    free(stale);
    free(held);
    free(other);
    free(sub);
    evm_test_remove_dir(dir);
}

static void test_resolve(void **state)
{
    (void)state;
    char *dir = evm_test_temp_dir("evm-resolve");
    char *link = evm_test_path(dir, "l.png");
    char *want = evm_test_path(dir, "sub/t.png");
    assert_int_equal(symlink("sub/t.png", link), 0);
    char *got = evm_output_resolve(link);
    assert_string_equal(got, want);
    free(got);
    got = evm_output_resolve(want); /* not a link: itself */
    assert_string_equal(got, want);
    free(got);
    free(link);
    free(want);
    evm_test_remove_dir(dir);
}

/* The one escape of printed text: each control class, idempotence, cuts
 * that never split an escape or a character, and snprintf's length. */
static void test_text_escape(void **state)
{
    (void)state;
    char buf[64];
    assert_int_equal(evm_text_escape(buf, sizeof buf, "a\tb\nc\rd"), 10);
    assert_string_equal(buf, "a\\tb\\nc\\rd");
    evm_text_escape(buf, sizeof buf, "\x1b[31mred\x07\x7f");
    assert_string_equal(buf, "\\x1b[31mred\\x07\\x7f");
    evm_text_escape(buf, sizeof buf,
                    "\xc2\x9b"
                    "2J \xc2\xa0\xc3\xa9");
    assert_string_equal(buf, "\\u009b2J \xc2\xa0\xc3\xa9");
    char twice[64];
    evm_text_escape(twice, sizeof twice, buf);
    assert_string_equal(twice, buf);
    /* Cut whole: "\x1b" needs 4 bytes, "é" 2. */
    assert_int_equal(evm_text_escape(buf, 4, "ab\x1b"), 6);
    assert_string_equal(buf, "ab");
    evm_text_escape(buf, 4, "ab\xc3\xa9");
    assert_string_equal(buf, "ab");
    evm_text_escape(buf, sizeof buf, NULL);
    assert_string_equal(buf, "");
    char snip[16];
    evm_text_snippet(snip, sizeof snip, "\x1bxyzw", 5, 3);
    assert_string_equal(snip, "\\x1bxy\xe2\x80\xa6");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_template), cmocka_unit_test(test_marked),
        cmocka_unit_test(test_cancel),   cmocka_unit_test(test_defer),
        cmocka_unit_test(test_names),    cmocka_unit_test(test_sweep),
        cmocka_unit_test(test_resolve),  cmocka_unit_test(test_text_escape),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
