/* Names for the temporary files behind atomic writes. */
#ifndef EVM_CORE_TEMPFILE_H
#define EVM_CORE_TEMPFILE_H

/* A mkstemp template beside path: "<dir>/.<name>." followed by the six
 * placeholder characters mkstemp replaces. In the target's directory, so
 * that rename() over the target is atomic; hidden, so that a listing of
 * the folder during a long batch shows only finished maps. Caller frees;
 * NULL when out of memory. */
char *evm_temp_template(const char *path);

#endif
