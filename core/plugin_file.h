/* Opening a plugin file for dlopen only when nobody but its owner (root or
 * the user running harmonize) can have changed it: loading a .so runs its
 * code (constructors first), with all the rights of the process. */
#ifndef HZ_PLUGIN_FILE_H
#define HZ_PLUGIN_FILE_H
#include <stdbool.h>
#include <stddef.h>

typedef struct hz_plugin_file {
    int fd;        /* open on the file checked; dlopen goes through it */
    char *dlname;  /* what to give dlopen: /proc/self/fd/N, or the path */
    bool insecure; /* loaded despite a problem (allow_insecure) */
} hz_plugin_file;

/* Open `path` and check, on the opened file (after symlinks), that it is a
 * regular file, that neither it, the folder it really is in, nor the
 * folder `path` names it in is writable by its group or others, and that
 * each belongs to root or to the effective user.  Returns true with `f`
 * filled in; false with the reason (and the fix) in `why`, f->insecure
 * set when the reason is who can write it.  With
 * `allow_insecure`, a problem of rights still opens the file: true,
 * f->insecure set, the problem in `why` (for a warning). */
bool hz_plugin_file_open(const char *path, bool allow_insecure, hz_plugin_file *f, char *why, size_t size);
void hz_plugin_file_close(hz_plugin_file *f);
#endif
