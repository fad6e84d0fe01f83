/*
 * Input checks with no Kore dependency, so they are unit-tested directly:
 * dates, unit codes, ids, logins, cursors, page sizes, media types,
 * origins and addresses.
 */
#ifndef REGISTRY_VALIDATE_H
#define REGISTRY_VALIDATE_H

#include <stddef.h>
#include <stdint.h>

#define CURSOR_MAX	512

int	valid_date(const char *);
int	valid_digits(const char *, size_t);
int	valid_id(const char *, int64_t *);
int	valid_int_range(const char *, long, long, long *);
int	valid_login(const char *);
int	valid_cursor(const char *);
int	valid_bool(const char *, int *);
int	valid_timestamp(const char *);
int	valid_json_media_type(const char *);
int	valid_same_origin(const char *, const char *, const char *);
int	valid_addr_listed(const char *, const char *);

#endif
