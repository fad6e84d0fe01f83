/*
 * The personal identification number (số định danh cá nhân) is 12 digits
 * with no check digit, so a typo can only be caught where it breaks the
 * structure: the place of birth registration (digits 1-3), the century and
 * sex (digit 4) and the last two digits of the birth year (digits 5-6),
 * the last two checked against what the form says about the person. The
 * last six digits are random and say nothing.
 */
#include <sys/types.h>

#include <stdlib.h>
#include <string.h>

#include "cccd.h"

#define CCCD_LEN	12
#define CCCD_SHOWN	3

static int	cmp_code(const void *, const void *);
static int	in_table(const short *, size_t, int);
static int	valid_prefix(int);

/*
 * The 63 provinces before the 2025 merger, by their 2004 two-digit code:
 * a number once issued keeps the code of the province where the birth was
 * registered, whatever that province has merged into since.
 */
static const short	provinces[] = {
	1, 2, 4, 6, 8, 10, 11, 12, 14, 15,
	17, 19, 20, 22, 24, 25, 26, 27, 30, 31,
	33, 34, 35, 36, 37, 38, 40, 42, 44, 45,
	46, 48, 49, 51, 52, 54, 56, 58, 60, 62,
	64, 66, 67, 68, 70, 72, 74, 75, 77, 79,
	80, 82, 83, 84, 86, 87, 89, 91, 92, 93,
	94, 95, 96,
};

/*
 * Births registered abroad carry the country's code. These are the ISO
 * 3166-1 numeric codes from 100 up, less 704 (Viet Nam), sorted, taken
 * from the "numeric" field of /usr/share/iso-codes/json/iso_3166-1.json
 * (Debian iso-codes 4.15.0). Codes below 100 are left out: as "0" plus
 * two digits they would be read as a province.
 */
static const short	countries[] = {
	100, 104, 108, 112, 116, 120, 124, 132, 136, 140, 144, 148,
	152, 156, 158, 162, 166, 170, 174, 175, 178, 180, 184, 188,
	191, 192, 196, 203, 204, 208, 212, 214, 218, 222, 226, 231,
	232, 233, 234, 238, 239, 242, 246, 248, 250, 254, 258, 260,
	262, 266, 268, 270, 275, 276, 288, 292, 296, 300, 304, 308,
	312, 316, 320, 324, 328, 332, 334, 336, 340, 344, 348, 352,
	356, 360, 364, 368, 372, 376, 380, 384, 388, 392, 398, 400,
	404, 408, 410, 414, 417, 418, 422, 426, 428, 430, 434, 438,
	440, 442, 446, 450, 454, 458, 462, 466, 470, 474, 478, 480,
	484, 492, 496, 498, 499, 500, 504, 508, 512, 516, 520, 524,
	528, 531, 533, 534, 535, 540, 548, 554, 558, 562, 566, 570,
	574, 578, 580, 581, 583, 584, 585, 586, 591, 598, 600, 604,
	608, 612, 616, 620, 624, 626, 630, 634, 638, 642, 643, 646,
	652, 654, 659, 660, 662, 663, 666, 670, 674, 678, 682, 686,
	688, 690, 694, 702, 703, 705, 706, 710, 716, 724, 728, 729,
	732, 740, 744, 748, 752, 756, 760, 762, 764, 768, 772, 776,
	780, 784, 788, 792, 795, 796, 798, 800, 804, 807, 818, 826,
	831, 832, 833, 834, 840, 850, 854, 858, 860, 862, 876, 882,
	887, 894,
};

/* Indexed by enum cccd_result. */
static const char *const	codes[] = {
	"ok",
	"cccd-empty",
	"cccd-length",
	"cccd-digits",
	"cccd-prefix",
	"cccd-century",
	"cccd-sex",
	"cccd-year",
};

static const char *const	messages_vi[] = {
	"Số định danh hợp lệ.",
	"Chưa nhập số định danh cá nhân.",
	"Số định danh phải có đúng 12 chữ số.",
	"Số định danh chỉ được gồm các chữ số từ 0 đến 9.",
	"Ba chữ số đầu của số định danh không phải mã tỉnh, thành phố nơi "
	    "đăng ký khai sinh, cũng không phải mã quốc gia.",
	"Chữ số thứ 4 của số định danh (thế kỷ và giới tính) không khớp với "
	    "thế kỷ của năm sinh (năm sinh phải từ 1900 đến 2399).",
	"Chữ số thứ 4 của số định danh (thế kỷ và giới tính) không khớp với "
	    "giới tính: số chẵn là nam, số lẻ là nữ.",
	"Chữ số thứ 5 và thứ 6 của số định danh không khớp với hai chữ số "
	    "cuối của năm sinh.",
};

static const char *const	messages_en[] = {
	"The identification number is valid.",
	"The personal identification number is missing.",
	"The identification number must have exactly 12 digits.",
	"The identification number may contain only the digits 0 to 9.",
	"The first 3 digits of the identification number are neither the "
	    "code of a province of birth registration nor a country code.",
	"The 4th digit of the identification number (century and sex) does "
	    "not match the birth year's century (the birth year must be 1900 "
	    "to 2399).",
	"The 4th digit of the identification number (century and sex) does "
	    "not match the sex: even is male, odd is female.",
	"The 5th and 6th digits of the identification number do not match "
	    "the last two digits of the birth year.",
};

#define NRESULTS	(sizeof(codes) / sizeof(codes[0]))

static int
cmp_code(const void *a, const void *b)
{
	return (*(const short *)a - *(const short *)b);
}

static int
in_table(const short *table, size_t n, int code)
{
	short		key;

	key = (short)code;
	return (bsearch(&key, table, n, sizeof(*table), cmp_code) != NULL);
}

static int
valid_prefix(int p)
{
	if (p < 100)
		return (in_table(provinces,
		    sizeof(provinces) / sizeof(provinces[0]), p));
	return (in_table(countries,
	    sizeof(countries) / sizeof(countries[0]), p));
}

/*
 * Checks in a fixed order so the first failure is the one reported: the
 * shape of the text before what it says, and what it says on its own
 * before whether it agrees with the birth year and sex given beside it.
 */
enum cccd_result
cccd_check(const char *id, int birth_year, int sex)
{
	size_t		i;
	int		century;

	if (id == NULL || id[0] == '\0')
		return (CCCD_EMPTY);
	/*
	 * Counted in bytes: a non-ASCII digit takes several, so it is refused
	 * either here or as a non-digit below.
	 */
	if (strnlen(id, CCCD_LEN + 1) != CCCD_LEN)
		return (CCCD_LENGTH);
	for (i = 0; i < CCCD_LEN; i++) {
		/* Not isdigit(): the locale must not widen what passes. */
		if (id[i] < '0' || id[i] > '9')
			return (CCCD_DIGITS);
	}
	if (!valid_prefix((id[0] - '0') * 100 + (id[1] - '0') * 10 +
	    (id[2] - '0')))
		return (CCCD_PREFIX);
	century = (id[3] - '0') / 2;
	if (birth_year != 0) {
		if (birth_year < 1900 || birth_year > 2399 ||
		    (birth_year - 1900) / 100 != century)
			return (CCCD_CENTURY);
	}
	if (sex != 0) {
		/* A sex other than the two the digit encodes cannot match. */
		if ((id[3] - '0') % 2 == 0 ? sex != CCCD_SEX_MALE :
		    sex != CCCD_SEX_FEMALE)
			return (CCCD_SEX);
	}
	if (birth_year != 0) {
		if ((id[4] - '0') * 10 + (id[5] - '0') != birth_year % 100)
			return (CCCD_YEAR);
	}
	return (CCCD_OK);
}

/*
 * A value outside the enum is a caller's bug; answer with the generic
 * failure rather than NULL so that a response is still well formed.
 */
const char *
cccd_code(enum cccd_result r)
{
	if ((size_t)r >= NRESULTS)
		return ("cccd-invalid");
	return (codes[r]);
}

const char *
cccd_message_vi(enum cccd_result r)
{
	if ((size_t)r >= NRESULTS)
		return ("Số định danh không hợp lệ.");
	return (messages_vi[r]);
}

const char *
cccd_message_en(enum cccd_result r)
{
	if ((size_t)r >= NRESULTS)
		return ("The identification number is not valid.");
	return (messages_en[r]);
}

/*
 * The number identifies a person for life, so lists and logs show only
 * enough to tell two records apart. Only 12 ASCII digits are masked:
 * anything else was never a stored number, and copying its tail could
 * split a UTF-8 sequence. Returns 1, or 0 with out emptied when it can be.
 */
int
cccd_mask(const char *id, char *out, size_t outlen)
{
	static const char	bullet[] = "\xe2\x80\xa2";	/* U+2022 */
	size_t			i, blen;
	char			*p;

	if (out != NULL && outlen > 0)
		out[0] = '\0';
	if (id == NULL || out == NULL || outlen < CCCD_MASK_SIZE ||
	    strnlen(id, CCCD_LEN + 1) != CCCD_LEN)
		return (0);
	for (i = 0; i < CCCD_LEN; i++) {
		if (id[i] < '0' || id[i] > '9')
			return (0);
	}
	blen = sizeof(bullet) - 1;
	p = out;
	for (i = 0; i < CCCD_LEN - CCCD_SHOWN; i++, p += blen)
		memcpy(p, bullet, blen);
	memcpy(p, id + CCCD_LEN - CCCD_SHOWN, CCCD_SHOWN);
	p[CCCD_SHOWN] = '\0';
	return (1);
}
