/*
 * Structural check of a Vietnamese personal identification number (số định
 * danh cá nhân, printed on the CCCD card), with no Kore dependency so it is
 * unit-tested directly. There is no check digit: only the place of birth
 * registration, the century and sex digit and the birth year can be checked.
 */
#ifndef REGISTRY_CCCD_H
#define REGISTRY_CCCD_H

#include <stddef.h>

#define CCCD_SEX_MALE	1
#define CCCD_SEX_FEMALE	2

/* 9 bullets of 3 bytes, the last 3 digits and the NUL. */
#define CCCD_MASK_SIZE	31

enum cccd_result {
	CCCD_OK = 0,
	CCCD_EMPTY,
	CCCD_LENGTH,
	CCCD_DIGITS,
	CCCD_PREFIX,
	CCCD_CENTURY,
	CCCD_SEX,
	CCCD_YEAR
};

/*
 * cccd_check(id, birth_year, sex): birth_year 0 = unknown (skip century/year
 * checks); sex 0 = unknown (skip sex check), else CCCD_SEX_MALE or _FEMALE.
 * cccd_mask writes 9 U+2022 bullets and the last 3 digits and returns 1, or
 * returns 0 when id is not 12 ASCII digits or outlen < CCCD_MASK_SIZE.
 */
enum cccd_result	 cccd_check(const char *, int, int);
const char		*cccd_code(enum cccd_result);
const char		*cccd_message_vi(enum cccd_result);
const char		*cccd_message_en(enum cccd_result);
int			 cccd_mask(const char *, char *, size_t);

#endif
