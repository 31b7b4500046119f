/* The permissions of the files and folders a run creates, whatever the
 * process's umask: the feeds are people's case files, and cron's usual
 * umask (022) would make every output world-readable.
 *
 * A file's mode is, first found:
 *   1. its sink's `file_mode:` (published outputs, their staged files);
 *   2. the pipeline's top-level `file_mode:` (every sink without its own,
 *      the manifest, the state folder's files);
 *   3. the permission bits of the file being replaced, if it exists (an
 *      administrator's chmod survives the next run);
 *   4. 0640.
 * A folder a run creates gets the mode plus x wherever it has r (0750 for
 * 0640).
 *
 * How the core holds to it without the plugins' help (they create their
 * files with 0666, or less): around every call of a sink, and whenever
 * hz->stage_file names a file, the process umask is set so that a file
 * created 0666 gets exactly the mode and a folder created 0777 the folder
 * mode, so a temporary file is never readable by more people than the
 * mode allows, not even for a moment; before anything is published the
 * core sets each staged file's mode exactly (a plugin may have created it
 * narrower), and a file a sink writes in place gets an explicit mode
 * before any row is written. */
#ifndef HZ_FILE_MODE_H
#define HZ_FILE_MODE_H
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "value.h"

/* Files nobody gave a mode to, and that replace no file. */
#define HZ_FILE_MODE_DEFAULT 0640

/* `file_mode:` (a scalar): three to five octal digits, optionally after
 * 0o, read as octal whether written 0640, 640, "0640" or 0o640; only read
 * and write bits (within 0666), the owner's both.  False with the reason in
 * msg (the value's name not included). */
bool hz_file_mode_parse(const hz_value *v, mode_t *out, char *msg, size_t size);

/* The mode of a folder made for files of `file_mode`: x where r. */
mode_t hz_folder_mode(mode_t file_mode);

/* Set the process umask so that open(..., 0666) makes `file_mode` and
 * mkdir(..., 0777) its folder mode; returns the previous umask. */
mode_t hz_file_mode_umask(mode_t file_mode);

/* Give the regular file `path` exactly `mode`, never through a symbolic
 * link.  0, or -1 with errno (ENOENT when there is no such file). */
int hz_file_mode_set(const char *path, mode_t mode);

/* fchmod, unless the file has the mode already.  0 or -1 with errno. */
int hz_file_mode_set_fd(int fd, mode_t mode);

struct hz_pipeline;
/* The mode for the file `target` written by sink `c` (NULL: a file of
 * the core's), by the order above. */
mode_t hz_output_mode(const struct hz_pipeline *p, const hz_component *c, const char *target);
/* The mode given to `c` (its own, else the pipeline's), else 0640: the
 * umask its calls run under until hz->stage_file names a file. */
mode_t hz_sink_mode(const struct hz_pipeline *p, const hz_component *c);
/* The mode given to the pipeline, else 0640: the core's own files. */
mode_t hz_core_mode(const struct hz_pipeline *p);
#endif
