/*
 * A printable certificate: one A4 landscape page in Vietnamese with English
 * beneath, the holder and what was achieved, and a QR code that carries the
 * link to the public check with the credential's signature. No Kore
 * dependency: it is unit-tested directly, drives the registry-certificate
 * preview tool, and runs inside Kore task threads (all state lives in the
 * libharu document it creates and frees).
 */
#ifndef REGISTRY_CERTIFICATE_PDF_H
#define REGISTRY_CERTIFICATE_PDF_H

#include <stddef.h>

/* The DejaVu files the page is set in, looked up in the font directory. */
#define CERTIFICATE_FONTDIR	"/usr/share/fonts/truetype/dejavu"

/*
 * Text fields longer than this (bytes) are refused, not truncated. It
 * holds the longest text the registry stores, 500 characters of three
 * UTF-8 bytes (a revocation reason); names are at most 300 characters.
 */
#define CERTIFICATE_FIELD_MAX	1536

/*
 * Every string is UTF-8 (NFC: libharu maps code points to glyphs one by
 * one, so combining marks would not be composed). NULL is allowed only
 * where said. Names, titles and issuers too long for the page shrink,
 * then wrap, and as a last resort end in an ellipsis: the public check
 * the QR code leads to shows the full record.
 */
struct certificate {
	const char	*credential_id;		/* e.g. a UUID */
	const char	*kind;			/* "course", "degree",
						   "title_training", other */
	const char	*holder_name;		/* "Nguyễn Thị Hồng Nhung" */
	const char	*holder_id_masked;	/* "•••••••••123"; NULL: none */
	const char	*achievement;		/* course or programme name */
	const char	*level;			/* NULL: not shown */
	int		 hours;			/* 0: not shown; <= 100000 */
	const char	*issuer;		/* institution name */
	const char	*place;			/* "Hà Nội"; NULL: not shown */
	const char	*issued_on;		/* YYYY-MM-DD */
	const char	*verify_url;		/* printed beside the QR code */
	const char	*qr_text;		/* what the QR code carries:
						   up to about 1,700 bytes
						   (the server's: under 260) */
	const char	*revoked_reason;	/* non-NULL: stamped REVOKED */
};

/*
 * certificate_pdf(cert, fontdir, &pdf, &len, err, errlen) renders cert
 * and returns 0 with *pdf a malloc'd PDF of *len bytes the caller frees.
 * On failure it returns -1, leaves *pdf NULL and writes an English
 * sentence into err: a missing or bad field, a character the fonts do
 * not have (it would print as an empty box, or beyond U+FFFF not at
 * all), a font that cannot be read from fontdir (NULL:
 * CERTIFICATE_FONTDIR), a qr_text too long for a
 * QR code that still scans at 50 mm (version 30 with ECC L: about 1,700
 * bytes of a link and a compact JWS), or an error inside libharu.
 */
int	certificate_pdf(const struct certificate *, const char *,
	    unsigned char **, size_t *, char *, size_t);

#endif
