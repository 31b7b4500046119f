/* ${NAME}, ${NAME:-default}, ${NAME:?message} and $$ in pipeline values,
 * from --set first, then the environment. */
#ifndef HZ_VARS_H
#define HZ_VARS_H
#include <stddef.h>

typedef struct hz_vars {
    char **names, **values;
    size_t count;
} hz_vars;

/* Add NAME=VALUE from --set (a later --set of the same name wins).
 * Returns -1 when `assignment` has no '=' or an invalid name. */
int hz_vars_set(hz_vars *v, const char *assignment);
/* --set value, else environment, else NULL. */
const char *hz_vars_get(const hz_vars *v, const char *name);
void hz_vars_free(hz_vars *v);

/* Expand `text`.  Returns a new string, or NULL with *error (to free) and
 * *error_offset (byte offset of the offending `$` in text). */
char *hz_vars_expand(const hz_vars *v, const char *text, char **error, size_t *error_offset);
#endif
