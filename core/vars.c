#include "vars.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static int valid_name(const char *s, size_t n) {
    if (n == 0 || !(isalpha((unsigned char)s[0]) || s[0] == '_')) return 0;
    for (size_t i = 1; i < n; i++)
        if (!(isalnum((unsigned char)s[i]) || s[i] == '_')) return 0;
    return 1;
}

int hz_vars_set(hz_vars *v, const char *assignment) {
    const char *eq = strchr(assignment, '=');
    if (!eq || !valid_name(assignment, (size_t)(eq - assignment))) return -1;
    char *name = hz_xstrndup(assignment, (size_t)(eq - assignment));
    for (size_t i = 0; i < v->count; i++) {
        if (!strcmp(v->names[i], name)) {
            free(name);
            free(v->values[i]);
            v->values[i] = hz_xstrdup(eq + 1);
            return 0;
        }
    }
    v->names = hz_xrealloc(v->names, (v->count + 1) * sizeof *v->names);
    v->values = hz_xrealloc(v->values, (v->count + 1) * sizeof *v->values);
    v->names[v->count] = name;
    v->values[v->count] = hz_xstrdup(eq + 1);
    v->count++;
    return 0;
}

const char *hz_vars_get(const hz_vars *v, const char *name) {
    for (size_t i = 0; v && i < v->count; i++)
        if (!strcmp(v->names[i], name)) return v->values[i];
    return getenv(name);
}

void hz_vars_free(hz_vars *v) {
    for (size_t i = 0; i < v->count; i++) {
        free(v->names[i]);
        free(v->values[i]);
    }
    free(v->names);
    free(v->values);
    v->names = v->values = NULL;
    v->count = 0;
}

char *hz_vars_expand(const hz_vars *v, const char *text, char **error, size_t *error_offset) {
    hz_strbuf out = {0};
    const char *p = text;
    *error = NULL;
    while (*p) {
        const char *dollar = strchr(p, '$');
        if (!dollar) {
            hz_strbuf_adds(&out, p);
            break;
        }
        hz_strbuf_add(&out, p, (size_t)(dollar - p));
        if (dollar[1] == '$') { /* $$ is a literal $ */
            hz_strbuf_add(&out, "$", 1);
            p = dollar + 2;
            continue;
        }
        if (dollar[1] != '{') { /* a lone $ stays as it is */
            hz_strbuf_add(&out, "$", 1);
            p = dollar + 1;
            continue;
        }
        const char *name = dollar + 2;
        const char *close = strchr(name, '}');
        *error_offset = (size_t)(dollar - text);
        if (!close) {
            *error = hz_xstrdup("unterminated '${': add the closing '}' (write '$$' for a literal '$')");
            goto fail;
        }
        size_t name_len = strcspn(name, ":}");
        const char *op = name + name_len;
        if (!valid_name(name, name_len)) {
            *error = hz_xasprintf("invalid variable name '%.*s'", (int)(close - name), name);
            goto fail;
        }
        char *var = hz_xstrndup(name, name_len);
        const char *value = hz_vars_get(v, var);
        if (op[0] == ':' && (op[1] == '-' || op[1] == '?')) {
            const char *arg = op + 2;
            size_t arg_len = (size_t)(close - arg);
            if (value && *value) {
                hz_strbuf_adds(&out, value);
            } else if (op[1] == '-') {
                hz_strbuf_add(&out, arg, arg_len);
            } else {
                *error = arg_len ? hz_xasprintf("%.*s", (int)arg_len, arg)
                                 : hz_xasprintf("variable '%s' has no value", var);
                free(var);
                goto fail;
            }
        } else if (op != close) {
            *error =
                hz_xasprintf("invalid variable reference '%.*s': use ${%s}, ${%s:-default} or ${%s:?message}",
                             (int)(close - dollar + 1), dollar, var, var, var);
            free(var);
            goto fail;
        } else if (value) {
            hz_strbuf_adds(&out, value);
        } else {
            *error = hz_xasprintf("variable '%s' has no value: set it with --set %s=... (or in the "
                                  "environment), or give it a default: ${%s:-default}",
                                  var, var, var);
            free(var);
            goto fail;
        }
        free(var);
        p = close + 1;
    }
    if (!out.data) hz_strbuf_add(&out, "", 0);
    return out.data;
fail:
    hz_strbuf_free(&out);
    return NULL;
}
