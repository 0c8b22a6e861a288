/* Names for the temporary files behind atomic writes, and the sweep that
 * removes the ones a killed run left behind. */
#ifndef EVM_CORE_TEMPFILE_H
#define EVM_CORE_TEMPFILE_H

#include <stdbool.h>
#include <stddef.h>

/* What every temporary name ends with before mkstemp's six characters:
 * the mark by which a later run knows a file as evmap's. */
#define EVM_TEMP_MARK ".evmap-tmp-"

/* A mkstemp template beside path: "<dir>/.<name>.evmap-tmp-XXXXXX". In
 * the target's folder, so that rename() over the target is atomic;
 * hidden, so that a listing of the folder during a long batch shows only
 * finished maps. <name> is cut (on a UTF-8 character boundary) so that
 * the whole last component stays within NAME_MAX (255 bytes): a target
 * name of 255 bytes still gets a temporary file. Caller frees; NULL when
 * out of memory. */
char *evm_temp_template(const char *path);

/* Whether a folder entry's name has the form evm_temp_template makes. */
bool evm_temp_is_marked(const char *name);

/* Removes the stale temporary files in folder dir ("" or NULL: the
 * current folder): every regular file with a marked name that no process
 * holds locked. A writer holds an exclusive flock() on its temporary
 * file from creation to rename, and the kernel drops it when the writer
 * dies however it dies, so a live writer's file is never taken, on this
 * machine or (with NFS locking) another. Best effort: a folder that
 * cannot be read is left alone. Returns how many files were removed. */
size_t evm_temp_sweep(const char *dir);

#endif
