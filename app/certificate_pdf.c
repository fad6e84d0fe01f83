/*
 * The printed certificate: one A4 landscape page laid out the way a
 * Vietnamese administrative paper is (issuer and number top left, the
 * national motto top right, date and issuer bottom right), Vietnamese
 * first with the English in smaller grey italics, and the QR code bottom
 * left carrying the link to the public check with the credential's
 * signature (the server's qr_text). libharu does the PDF with embedded
 * DejaVu subsets (they have every Vietnamese glyph) through its UTF-8
 * encoder; libqrencode makes the symbol, drawn here as filled rectangles.
 * Every call works on its own HPDF_Doc, so certificates can be rendered on
 * several threads at once. libharu reports errors through a callback:
 * ours only records the first one, and the document is checked before it
 * is saved, so no error leaves through a longjmp.
 */
#include <sys/types.h>

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>
#include <qrencode.h>

#include "certificate_pdf.h"

#define MM		(72.0f / 25.4f)
#define PAGE_W		841.89f		/* A4 landscape, points */
#define PAGE_H		595.28f
#define FRAME		18.0f		/* outer frame inset */
#define MARGIN		48.0f		/* content inset */
#define BODY_W		640.0f		/* width of the centred text */
#define BODY_FLOOR	214.0f		/* the QR and date blocks are below */

#define QR_SIZE		(50.0f * MM)	/* the symbol with its quiet zone */
#define QR_QUIET	4		/* modules of white around it */
/*
 * At a fixed printed size, fewer modules are larger modules, and a phone
 * reads larger modules more reliably than it recovers damaged ones from a
 * clean printout: past this version ECC M gives way to ECC L.
 */
#define QR_VERSION_M	20
#define QR_VERSION_MAX	30		/* 0.34 mm modules at 50 mm */

#define LINE_BYTES	512
#define LINES_MAX	3
#define ELLIPSIS	"\xe2\x80\xa6"	/* U+2026 */

struct rgb {
	float	r, g, b;
};

static const struct rgb	ink = { 0.10f, 0.10f, 0.12f };
static const struct rgb	grey = { 0.40f, 0.40f, 0.43f };
static const struct rgb	navy = { 0.09f, 0.19f, 0.42f };
static const struct rgb	crimson = { 0.66f, 0.09f, 0.11f };
static const struct rgb	gold = { 0.72f, 0.56f, 0.24f };
static const struct rgb	stamp = { 0.80f, 0.05f, 0.05f };

#define FACE_REGULAR	0
#define FACE_BOLD	1
#define FACE_ITALIC	2
#define FACE_SANS	3
#define FACES		4

static const char *const	face_files[FACES] = {
	"DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf",
	"DejaVuSansCondensed.ttf",
};

struct cert_ctx {
	HPDF_Doc	 doc;
	HPDF_Page	 page;
	HPDF_Font	 regular;
	HPDF_Font	 bold;
	HPDF_Font	 italic;
	HPDF_Font	 sans;
	HPDF_Font	 face[FACES];
	char		 path[FACES][1024];
	HPDF_STATUS	 error;		/* the first libharu error, or 0 */
	HPDF_STATUS	 detail;
};

/* One run of a line set in one font, size and colour. */
struct seg {
	const char		*text;
	HPDF_Font		 font;
	float			 size;
	const struct rgb	*colour;
};

struct lines {
	int	n;
	float	size;
	char	line[LINES_MAX][LINE_BYTES];
};

/* Sizes a text may take: one line down to one_min, then up to lines. */
struct fit {
	float	max;
	float	one_min;
	float	min;
	int	lines;
};

struct kind {
	const char	*kind;
	const char	*title_vi;
	const char	*title_en;
	const char	*lead_vi;
	const char	*lead_en;
};

static const struct kind	kinds[] = {
	{ "course", "GIẤY CHỨNG NHẬN", "Certificate of Completion",
	    "Đã hoàn thành khóa học", "has completed the course" },
	{ "degree", "GIẤY XÁC NHẬN VĂN BẰNG", "Record of Qualification",
	    "Đã được cấp văn bằng", "has been awarded the qualification" },
	{ "title_training", "GIẤY CHỨNG NHẬN", "Certificate of Training",
	    "Đã hoàn thành chương trình bồi dưỡng",
	    "has completed the training programme" },
	{ NULL, "GIẤY CHỨNG NHẬN", "Certificate",
	    "Đã đạt", "has achieved" },
};

static const char *const	months_en[] = {
	"January", "February", "March", "April", "May", "June", "July",
	"August", "September", "October", "November", "December",
};

static void	 seterr(char *, size_t, const char *, ...)
		    __attribute__((format(printf, 3, 4)));
static void	 pdf_error(HPDF_STATUS, HPDF_STATUS, void *);
static int	 check_text(const char *, const char *, int, char *, size_t);
static int	 check_fields(const struct certificate *, char *, size_t);
static int	 parse_date(const char *, int *, int *, int *);
static QRcode	*qr_encode(const char *, char *, size_t);
static int	 load_fonts(struct cert_ctx *, const char *, char *, size_t);
static int	 glyph_closure(HPDF_Font, const char *, char *, size_t);
static int	 check_glyphs(const struct cert_ctx *, int, const char *,
		    const char *, char *, size_t);
static int	 check_all_glyphs(const struct cert_ctx *,
		    const struct certificate *, char *, size_t);
static const struct kind *kind_find(const char *);
static float	 width_of(HPDF_Font, float, const char *, size_t);
static size_t	 utf8_prev(const char *, size_t);
static size_t	 utf8_next(const char *, size_t, size_t);
static int	 push_line(struct lines *, const char *, size_t, int);
static int	 wrap(HPDF_Font, float, float, const char *, struct lines *,
		    int, int);
static void	 ellipsize(HPDF_Font, float, float, char *);
static void	 fit_text(HPDF_Font, const struct fit *, float, const char *,
		    struct lines *);
static void	 balance(HPDF_Font, float, float, const char *,
		    struct lines *);
static void	 colour(struct cert_ctx *, const struct rgb *);
static void	 text_at(struct cert_ctx *, HPDF_Font, float, float, float,
		    const struct rgb *, const char *);
static void	 text_centred(struct cert_ctx *, HPDF_Font, float, float,
		    float, const struct rgb *, const char *);
static float	 segs_centred(struct cert_ctx *, float, float, float,
		    struct seg *, int, int);
static float	 pair_centred(struct cert_ctx *, float, const char *,
		    const char *, float, int);
static float	 lines_centred(struct cert_ctx *, HPDF_Font, float, float,
		    const struct rgb *, const struct lines *, float, int);
static void	 draw_frame(struct cert_ctx *);
static void	 draw_header(struct cert_ctx *, const struct certificate *);
static float	 draw_body(struct cert_ctx *, const struct certificate *,
		    float, int);
static void	 draw_qr(struct cert_ctx *, const QRcode *,
		    const struct certificate *);
static void	 draw_date(struct cert_ctx *, const struct certificate *);
static void	 draw_revoked(struct cert_ctx *, const char *);
static int	 save(struct cert_ctx *, unsigned char **, size_t *, char *,
		    size_t);

static void
seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list		ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/*
 * libharu calls this and then returns the error status from whatever
 * function failed. The default would print and carry on; a longjmp out of
 * the library would leak the document. So: remember, and check later.
 */
static void
pdf_error(HPDF_STATUS error, HPDF_STATUS detail, void *arg)
{
	struct cert_ctx	*ctx = arg;

	if (ctx->error == 0) {
		ctx->error = error;
		ctx->detail = detail;
	}
}

/*
 * A field must be valid UTF-8 without control characters (a NUL cannot
 * get in through a C string, a newline would not print), no longer than
 * CERTIFICATE_FIELD_MAX bytes, and not empty unless optional.
 */
static int
check_text(const char *name, const char *s, int optional, char *err,
    size_t errlen)
{
	const unsigned char	*p;
	uint32_t		 cp;
	size_t			 len;
	int			 n, i;

	if (s == NULL) {
		if (optional)
			return (0);
		seterr(err, errlen, "%s is missing", name);
		return (-1);
	}
	len = strlen(s);
	if (strspn(s, " ") == len && !optional) {
		seterr(err, errlen, "%s is empty", name);
		return (-1);
	}
	if (len > CERTIFICATE_FIELD_MAX) {
		seterr(err, errlen, "%s is longer than %d bytes", name,
		    CERTIFICATE_FIELD_MAX);
		return (-1);
	}
	for (p = (const unsigned char *)s; *p != '\0'; p += n) {
		if (*p < 0x80) {
			cp = *p;
			n = 1;
		} else if (*p >= 0xc2 && *p <= 0xdf) {
			cp = *p & 0x1f;
			n = 2;
		} else if (*p >= 0xe0 && *p <= 0xef) {
			cp = *p & 0x0f;
			n = 3;
		} else if (*p >= 0xf0 && *p <= 0xf4) {
			cp = *p & 0x07;
			n = 4;
		} else
			goto bad;
		for (i = 1; i < n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				goto bad;
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			goto bad;
		if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) {
			seterr(err, errlen, "%s has a control character",
			    name);
			return (-1);
		}
		/* libharu's UTF-8 encoder stops at U+FFFF: it would drop it. */
		if (cp > 0xffff) {
			seterr(err, errlen, "%s has U+%04X, beyond what the "
			    "PDF fonts can carry", name, (unsigned int)cp);
			return (-1);
		}
	}
	return (0);
bad:
	seterr(err, errlen, "%s is not valid UTF-8", name);
	return (-1);
}

static int
check_fields(const struct certificate *c, char *err, size_t errlen)
{
	int	y, m, d;

	if (check_text("credential_id", c->credential_id, 0, err, errlen) ||
	    check_text("kind", c->kind, 0, err, errlen) ||
	    check_text("holder_name", c->holder_name, 0, err, errlen) ||
	    check_text("holder_id_masked", c->holder_id_masked, 1, err,
	    errlen) ||
	    check_text("achievement", c->achievement, 0, err, errlen) ||
	    check_text("level", c->level, 1, err, errlen) ||
	    check_text("issuer", c->issuer, 0, err, errlen) ||
	    check_text("place", c->place, 1, err, errlen) ||
	    check_text("issued_on", c->issued_on, 0, err, errlen) ||
	    check_text("verify_url", c->verify_url, 0, err, errlen) ||
	    check_text("revoked_reason", c->revoked_reason, 1, err, errlen))
		return (-1);
	/* The QR code carries bytes, not lines: only the length matters. */
	if (c->qr_text == NULL || c->qr_text[0] == '\0') {
		seterr(err, errlen, "qr_text is missing");
		return (-1);
	}
	if (c->hours < 0 || c->hours > 100000) {
		seterr(err, errlen, "hours must be 0 to 100000");
		return (-1);
	}
	if (parse_date(c->issued_on, &y, &m, &d) == -1) {
		seterr(err, errlen, "issued_on is not a YYYY-MM-DD date");
		return (-1);
	}
	return (0);
}

/* Strict YYYY-MM-DD, a real day of the Gregorian calendar. */
static int
parse_date(const char *s, int *y, int *m, int *d)
{
	static const int	mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31,
				    30, 31, 30, 31 };
	int			i, leap;

	for (i = 0; i < 10; i++) {
		if (i == 4 || i == 7) {
			if (s[i] != '-')
				return (-1);
		} else if (s[i] < '0' || s[i] > '9')
			return (-1);
	}
	if (s[10] != '\0')
		return (-1);
	*y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	*m = (s[5] - '0') * 10 + (s[6] - '0');
	*d = (s[8] - '0') * 10 + (s[9] - '0');
	if (*y < 1900 || *m < 1 || *m > 12 || *d < 1 || *d > mdays[*m - 1])
		return (-1);
	leap = (*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0;
	if (*m == 2 && *d == 29 && !leap)
		return (-1);
	return (0);
}

/*
 * Byte mode throughout (libqrencode still picks numeric or alphanumeric
 * runs where they are shorter; every reader decodes mixed modes), case
 * kept, the smallest version that holds the text.
 */
static QRcode *
qr_encode(const char *text, char *err, size_t errlen)
{
	QRcode	*qr;

	qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (qr == NULL || qr->version > QR_VERSION_M) {
		QRcode_free(qr);
		qr = QRcode_encodeString(text, 0, QR_ECLEVEL_L, QR_MODE_8, 1);
	}
	if (qr == NULL) {
		if (errno == ERANGE)
			seterr(err, errlen, "qr_text of %zu bytes does not fit "
			    "in a QR code", strlen(text));
		else
			seterr(err, errlen, "QR encoding failed: %s",
			    strerror(errno));
		return (NULL);
	}
	if (qr->version > QR_VERSION_MAX) {
		seterr(err, errlen, "qr_text of %zu bytes needs QR version "
		    "%d; at most %d scans at %.0f mm", strlen(text),
		    qr->version, QR_VERSION_MAX, (double)(QR_SIZE / MM));
		QRcode_free(qr);
		return (NULL);
	}
	return (qr);
}

/* Loads and embeds the four faces; libharu subsets them when saving. */
static int
load_fonts(struct cert_ctx *ctx, const char *dir, char *err, size_t errlen)
{
	const char	*name;
	int		 i, n;

	for (i = 0; i < FACES; i++) {
		n = snprintf(ctx->path[i], sizeof(ctx->path[i]), "%s/%s", dir,
		    face_files[i]);
		if (n < 0 || (size_t)n >= sizeof(ctx->path[i])) {
			seterr(err, errlen, "font directory name too long");
			return (-1);
		}
		name = HPDF_LoadTTFontFromFile(ctx->doc, ctx->path[i],
		    HPDF_TRUE);
		ctx->face[i] = name == NULL ? NULL :
		    HPDF_GetFont(ctx->doc, name, "UTF-8");
		if (ctx->face[i] == NULL) {
			seterr(err, errlen, "cannot load font %s (libharu "
			    "error 0x%04X)", ctx->path[i],
			    (unsigned int)ctx->error);
			return (-1);
		}
	}
	ctx->regular = ctx->face[FACE_REGULAR];
	ctx->bold = ctx->face[FACE_BOLD];
	ctx->italic = ctx->face[FACE_ITALIC];
	ctx->sans = ctx->face[FACE_SANS];
	return (0);
}

/*
 * libharu 2.3.0 embeds the glyphs a composite glyph is made of, but not
 * the glyphs those are made of in turn (fixed upstream after the release,
 * libharu pull request 54). DejaVu builds most Vietnamese letters two
 * levels deep: "ộ" is o, a dot below and a circumflex, and the dot and
 * the circumflex are composites too, so the page would lose its dots and
 * hats. Before the document is saved this marks the whole closure in
 * libharu's table of used glyphs (its layout is in the installed
 * headers), reading the glyf table from the font file at libharu's own
 * offsets. Marking a glyph twice is harmless, so a fixed libharu is fine.
 */
static int
glyph_closure(HPDF_Font font, const char *path, char *err, size_t errlen)
{
	HPDF_FontAttr		 fattr = font->attr;
	HPDF_TTFontDefAttr	 tt;
	HPDF_UINT16		*stack = NULL;
	unsigned char		 g[4096];
	FILE			*fp = NULL;
	size_t			 n, p, unit;
	unsigned int		 flags, gid, comp, top, i;
	int			 rc = -1;

	if (fattr == NULL || fattr->fontdef == NULL ||
	    fattr->fontdef->type != HPDF_FONTDEF_TYPE_TRUETYPE)
		return (0);
	tt = fattr->fontdef->attr;
	unit = tt->header.index_to_loc_format == 0 ? 2 : 1;

	if ((fp = fopen(path, "rb")) == NULL) {
		seterr(err, errlen, "cannot read font %s: %s", path,
		    strerror(errno));
		goto done;
	}
	if ((stack = calloc(tt->num_glyphs, sizeof(*stack))) == NULL) {
		seterr(err, errlen, "no memory for the glyph table");
		goto done;
	}
	top = 0;
	for (i = 0; i < tt->num_glyphs; i++)
		if (tt->glyph_tbl.flgs[i])
			stack[top++] = (HPDF_UINT16)i;

	/* Each glyph is pushed once, when first marked: top <= num_glyphs. */
	while (top > 0) {
		gid = stack[--top];
		n = (tt->glyph_tbl.offsets[gid + 1] -
		    tt->glyph_tbl.offsets[gid]) * unit;
		if (n < 10)
			continue;		/* empty, or no room for one */
		if (n > sizeof(g))
			n = sizeof(g);		/* components come first */
		if (fseek(fp, (long)(tt->glyph_tbl.base_offset +
		    tt->glyph_tbl.offsets[gid] * unit), SEEK_SET) == -1 ||
		    fread(g, 1, n, fp) != n) {
			seterr(err, errlen, "cannot read glyph %u of %s", gid,
			    path);
			goto done;
		}
		if ((g[0] & 0x80) == 0)
			continue;		/* contours: a simple glyph */
		for (p = 10; p + 4 <= n; ) {
			flags = (unsigned int)g[p] << 8 | g[p + 1];
			comp = (unsigned int)g[p + 2] << 8 | g[p + 3];
			p += 4;
			p += (flags & 0x0001) ? 4 : 2;	/* word or byte args */
			if (flags & 0x0008)
				p += 2;			/* a scale */
			else if (flags & 0x0040)
				p += 4;			/* x and y scales */
			else if (flags & 0x0080)
				p += 8;			/* a 2 by 2 matrix */
			if (comp < tt->num_glyphs &&
			    !tt->glyph_tbl.flgs[comp]) {
				tt->glyph_tbl.flgs[comp] = 1;
				stack[top++] = (HPDF_UINT16)comp;
			}
			if ((flags & 0x0020) == 0)
				break;			/* no more components */
		}
	}
	rc = 0;
done:
	free(stack);
	if (fp != NULL)
		fclose(fp);
	return (rc);
}

/*
 * A character the face lacks would print as an empty box, and a name
 * with a box in it is no certificate: refuse it by name and code point.
 * s is valid UTF-8 within the BMP (check_text) or NULL.
 */
static int
check_glyphs(const struct cert_ctx *ctx, int face, const char *name,
    const char *s, char *err, size_t errlen)
{
	HPDF_FontAttr		 fattr = ctx->face[face]->attr;
	const unsigned char	*p;
	unsigned int		 cp;

	if (s == NULL)
		return (0);
	for (p = (const unsigned char *)s; *p != '\0'; ) {
		if (*p < 0x80)
			cp = *p++;
		else if (*p < 0xe0) {
			cp = (p[0] & 0x1fu) << 6 | (p[1] & 0x3fu);
			p += 2;
		} else {
			cp = (p[0] & 0x0fu) << 12 | (p[1] & 0x3fu) << 6 |
			    (p[2] & 0x3fu);
			p += 3;
		}
		if (HPDF_TTFontDef_GetGlyphid(fattr->fontdef,
		    (HPDF_UINT16)cp) == 0) {
			seterr(err, errlen, "%s has U+%04X, which %s does not "
			    "have", name, cp, face_files[face]);
			return (-1);
		}
	}
	return (0);
}

/* Each field against the face it is printed in. */
static int
check_all_glyphs(const struct cert_ctx *ctx, const struct certificate *c,
    char *err, size_t errlen)
{
	if (check_glyphs(ctx, FACE_SANS, "credential_id", c->credential_id,
	    err, errlen) ||
	    check_glyphs(ctx, FACE_BOLD, "holder_name", c->holder_name, err,
	    errlen) ||
	    check_glyphs(ctx, FACE_REGULAR, "holder_id_masked",
	    c->holder_id_masked, err, errlen) ||
	    check_glyphs(ctx, FACE_BOLD, "achievement", c->achievement, err,
	    errlen) ||
	    check_glyphs(ctx, FACE_BOLD, "level", c->level, err, errlen) ||
	    check_glyphs(ctx, FACE_BOLD, "issuer", c->issuer, err, errlen) ||
	    check_glyphs(ctx, FACE_ITALIC, "place", c->place, err, errlen) ||
	    check_glyphs(ctx, FACE_SANS, "verify_url", c->verify_url, err,
	    errlen) ||
	    check_glyphs(ctx, FACE_BOLD, "revoked_reason", c->revoked_reason,
	    err, errlen))
		return (-1);
	return (0);
}

static const struct kind *
kind_find(const char *kind)
{
	const struct kind	*k;

	for (k = kinds; k->kind != NULL; k++)
		if (strcmp(k->kind, kind) == 0)
			break;
	return (k);
}

static float
width_of(HPDF_Font font, float size, const char *s, size_t len)
{
	HPDF_TextWidth	tw;

	if (len == 0)
		return (0.0f);
	tw = HPDF_Font_TextWidth(font, (const HPDF_BYTE *)s, (HPDF_UINT)len);
	return ((float)tw.width * size / 1000.0f);
}

/* The start of the character before offset i (i > 0). */
static size_t
utf8_prev(const char *s, size_t i)
{
	do {
		i--;
	} while (i > 0 && ((unsigned char)s[i] & 0xc0) == 0x80);
	return (i);
}

/* The end of the character at offset i (i < len). */
static size_t
utf8_next(const char *s, size_t i, size_t len)
{
	do {
		i++;
	} while (i < len && ((unsigned char)s[i] & 0xc0) == 0x80);
	return (i);
}

/* Returns -1 when lines already holds max lines. */
static int
push_line(struct lines *l, const char *s, size_t len, int max)
{
	if (l->n >= max)
		return (-1);
	memcpy(l->line[l->n], s, len);
	l->line[l->n][len] = '\0';
	l->n++;
	return (0);
}

/*
 * Greedy word wrap of text into at most max lines no wider than width,
 * breaking a word wider than a line between characters. Returns 0 when
 * it all fits, -1 when it does not; with truncate, the lines that fitted
 * are kept and the last one ends in an ellipsis.
 */
static int
wrap(HPDF_Font font, float size, float width, const char *text,
    struct lines *l, int max, int truncate)
{
	char		 cur[LINE_BYTES];
	const char	*w;
	size_t		 clen, wlen, cand, cut, room;

	l->n = 0;
	l->size = size;
	clen = 0;
	room = LINE_BYTES - sizeof(ELLIPSIS);
	for (w = text; *w != '\0'; w += wlen) {
		while (*w == ' ')
			w++;
		if (*w == '\0')
			break;
		wlen = strcspn(w, " ");
		cand = clen + (clen > 0) + wlen;
		if (cand <= room) {
			memcpy(cur + clen + (clen > 0), w, wlen);
			if (clen > 0)
				cur[clen] = ' ';
			if (width_of(font, size, cur, cand) <= width) {
				clen = cand;
				continue;
			}
		}
		if (clen > 0) {
			if (push_line(l, cur, clen, max) == -1)
				goto full;
			/* The word again, on a line of its own. */
			clen = 0;
			wlen = 0;
			continue;
		}
		/*
		 * Alone and still too wide: as much of it as fits, up to a
		 * slash if there is one, so a link breaks between its parts.
		 */
		for (cut = 0; cut < wlen; cut = cand) {
			cand = utf8_next(w, cut, wlen);
			if (cand > room ||
			    width_of(font, size, w, cand) > width)
				break;
		}
		for (cand = cut; cand > 1 && (w[cand - 1] != '/' ||
		    w[cand] == '/' || w[cand - 2] == '/'); cand--)
			;
		if (cand > 1 && cut < wlen)
			cut = cand;
		if (cut == 0)
			cut = utf8_next(w, 0, wlen);
		if (cut < wlen) {
			if (push_line(l, w, cut, max) == -1)
				goto full;
			wlen = cut;
		} else {
			memcpy(cur, w, wlen);
			clen = wlen;
		}
	}
	if (clen > 0 && push_line(l, cur, clen, max) == -1)
		goto full;
	return (0);
full:
	if (truncate && l->n > 0)
		ellipsize(font, size, width, l->line[l->n - 1]);
	return (-1);
}

/* Cuts s (a full line) until it and an ellipsis fit in width. */
static void
ellipsize(HPDF_Font font, float size, float width, char *s)
{
	size_t	len;

	len = strlen(s);
	while (len > 0 && (len + sizeof(ELLIPSIS) > LINE_BYTES ||
	    width_of(font, size, s, len) +
	    width_of(font, size, ELLIPSIS, strlen(ELLIPSIS)) > width)) {
		len = utf8_prev(s, len);
		while (len > 0 && s[len - 1] == ' ')
			len--;
	}
	memcpy(s + len, ELLIPSIS, sizeof(ELLIPSIS));
}

/*
 * Shrinking keeps a name on one line, which reads better than a break,
 * but only so far: then it wraps at a size that still reads as a heading,
 * shrinking further if need be, and truncates at the smallest size.
 */
static void
fit_text(HPDF_Font font, const struct fit *f, float width, const char *text,
    struct lines *l)
{
	float	size;

	for (size = f->max; size >= f->one_min; size -= 0.5f)
		if (wrap(font, size, width, text, l, 1, 0) == 0)
			return;
	for (size = f->one_min; size >= f->min; size -= 0.5f)
		if (wrap(font, size, width, text, l, f->lines, 0) == 0) {
			balance(font, size, width, text, l);
			return;
		}
	(void)wrap(font, f->min, width, text, l, f->lines, 1);
}

/*
 * Greedy wrapping fills the first lines and leaves a word alone on the
 * last; the narrowest width that still needs no more lines evens them.
 */
static void
balance(HPDF_Font font, float size, float width, const char *text,
    struct lines *l)
{
	struct lines	try;
	float		lo, hi, mid;
	int		i, n = l->n;

	if (n < 2)
		return;
	lo = width / (float)n;
	hi = width;
	for (i = 0; i < 10; i++) {
		mid = (lo + hi) / 2;
		if (wrap(font, size, mid, text, &try, n, 0) == 0 &&
		    try.n == n) {
			*l = try;
			hi = mid;
		} else
			lo = mid;
	}
}

static void
colour(struct cert_ctx *ctx, const struct rgb *c)
{
	HPDF_Page_SetRGBFill(ctx->page, c->r, c->g, c->b);
	HPDF_Page_SetRGBStroke(ctx->page, c->r, c->g, c->b);
}

static void
text_at(struct cert_ctx *ctx, HPDF_Font font, float size, float x, float y,
    const struct rgb *c, const char *s)
{
	if (*s == '\0')
		return;
	colour(ctx, c);
	HPDF_Page_BeginText(ctx->page);
	HPDF_Page_SetFontAndSize(ctx->page, font, size);
	HPDF_Page_TextOut(ctx->page, x, y, s);
	HPDF_Page_EndText(ctx->page);
}

static void
text_centred(struct cert_ctx *ctx, HPDF_Font font, float size, float cx,
    float y, const struct rgb *c, const char *s)
{
	text_at(ctx, font, size, cx - width_of(font, size, s, strlen(s)) / 2,
	    y, c, s);
}

/*
 * Draws the runs of one line centred on cx, scaled down together when
 * they are wider than width. Returns the width drawn.
 */
static float
segs_centred(struct cert_ctx *ctx, float cx, float y, float width,
    struct seg *segs, int n, int draw)
{
	float	total, scale, x;
	int	i;

	total = 0.0f;
	for (i = 0; i < n; i++)
		total += width_of(segs[i].font, segs[i].size, segs[i].text,
		    strlen(segs[i].text));
	scale = total > width ? width / total : 1.0f;
	x = cx - total * scale / 2;
	for (i = 0; draw && i < n; i++) {
		text_at(ctx, segs[i].font, segs[i].size * scale, x, y,
		    segs[i].colour, segs[i].text);
		x += width_of(segs[i].font, segs[i].size * scale,
		    segs[i].text, strlen(segs[i].text));
	}
	return (total * scale);
}

/*
 * "Vietnamese  /  English" on one line, the English smaller and grey;
 * when that is too wide, the English goes on a line of its own. Returns
 * the baseline of the last line.
 */
static float
pair_centred(struct cert_ctx *ctx, float y, const char *vi, const char *en,
    float size, int draw)
{
	struct seg	s[3];
	float		esize = size - 2.0f;

	s[0] = (struct seg){ vi, ctx->regular, size, &ink };
	s[1] = (struct seg){ "  /  ", ctx->italic, esize, &grey };
	s[2] = (struct seg){ en, ctx->italic, esize, &grey };
	if (segs_centred(ctx, PAGE_W / 2, y, BODY_W, s, 3, 0) < BODY_W) {
		(void)segs_centred(ctx, PAGE_W / 2, y, BODY_W, s, 3, draw);
		return (y);
	}
	(void)segs_centred(ctx, PAGE_W / 2, y, BODY_W, s, 1, draw);
	y -= esize + 4.0f;
	(void)segs_centred(ctx, PAGE_W / 2, y, BODY_W, s + 2, 1, draw);
	return (y);
}

/* Returns the baseline of the last line. */
static float
lines_centred(struct cert_ctx *ctx, HPDF_Font font, float cx, float y,
    const struct rgb *c, const struct lines *l, float leading, int draw)
{
	int	i;

	for (i = 0; i < l->n; i++) {
		if (i > 0)
			y -= l->size * leading;
		if (draw)
			text_centred(ctx, font, l->size, cx, y, c,
			    l->line[i]);
	}
	return (y);
}

/* A double rule in navy and gold with small squares at the corners. */
static void
draw_frame(struct cert_ctx *ctx)
{
	HPDF_Page	p = ctx->page;
	float		in, cx[4], cy[4];
	int		i;

	colour(ctx, &navy);
	HPDF_Page_SetLineWidth(p, 2.4f);
	HPDF_Page_Rectangle(p, FRAME, FRAME, PAGE_W - 2 * FRAME,
	    PAGE_H - 2 * FRAME);
	HPDF_Page_Stroke(p);

	in = FRAME + 6.0f;
	colour(ctx, &gold);
	HPDF_Page_SetLineWidth(p, 0.8f);
	HPDF_Page_Rectangle(p, in, in, PAGE_W - 2 * in, PAGE_H - 2 * in);
	HPDF_Page_Stroke(p);

	cx[0] = cx[3] = in;
	cx[1] = cx[2] = PAGE_W - in;
	cy[0] = cy[1] = in;
	cy[2] = cy[3] = PAGE_H - in;
	for (i = 0; i < 4; i++) {
		HPDF_Page_Rectangle(p, cx[i] - 4.0f, cy[i] - 4.0f, 8.0f, 8.0f);
		HPDF_Page_Fill(p);
	}
}

/*
 * Left, the issuing institution and the certificate number; right, the
 * national name and motto, each underlined as on an official paper.
 */
static void
draw_header(struct cert_ctx *ctx, const struct certificate *c)
{
	static const struct fit	 issuer_fit = { 12.0f, 10.0f, 8.0f, 2 };
	struct lines		 l;
	struct seg		 no[2];
	float			 lx, rx, y, w;

	lx = MARGIN + 150.0f;
	rx = PAGE_W - MARGIN - 165.0f;

	fit_text(ctx->bold, &issuer_fit, 290.0f, c->issuer, &l);
	y = lines_centred(ctx, ctx->bold, lx, PAGE_H - 66.0f, &navy, &l,
	    1.25f, 1);
	colour(ctx, &ink);
	HPDF_Page_SetLineWidth(ctx->page, 0.6f);
	HPDF_Page_MoveTo(ctx->page, lx - 40.0f, y - 9.0f);
	HPDF_Page_LineTo(ctx->page, lx + 40.0f, y - 9.0f);
	HPDF_Page_Stroke(ctx->page);

	no[0] = (struct seg){ "Số / No.: ", ctx->regular, 9.0f, &grey };
	no[1] = (struct seg){ c->credential_id, ctx->sans, 8.5f, &ink };
	(void)segs_centred(ctx, lx, y - 21.0f, 290.0f, no, 2, 1);

	text_centred(ctx, ctx->bold, 12.0f, rx, PAGE_H - 66.0f, &ink,
	    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
	text_centred(ctx, ctx->bold, 12.5f, rx, PAGE_H - 82.0f, &ink,
	    "Độc lập - Tự do - Hạnh phúc");
	w = width_of(ctx->bold, 12.5f, "Độc lập - Tự do - Hạnh phúc",
	    strlen("Độc lập - Tự do - Hạnh phúc"));
	HPDF_Page_SetLineWidth(ctx->page, 0.6f);
	HPDF_Page_MoveTo(ctx->page, rx - w / 2, PAGE_H - 87.0f);
	HPDF_Page_LineTo(ctx->page, rx + w / 2, PAGE_H - 87.0f);
	HPDF_Page_Stroke(ctx->page);
}

/*
 * The centred middle of the page from the title down, gap points between
 * blocks. Returns the lowest baseline, so the caller can first measure
 * (draw 0) and tighten the gaps before drawing.
 */
static float
draw_body(struct cert_ctx *ctx, const struct certificate *c, float gap,
    int draw)
{
	static const struct fit	 name_fit = { 28.0f, 22.0f, 15.0f, 2 };
	static const struct fit	 ach_fit = { 19.0f, 15.5f, 11.0f, 3 };
	static const struct fit	 level_fit = { 11.5f, 9.5f, 9.5f, 1 };
	const struct kind	*k;
	struct lines		 l, level;
	struct seg		 s[8];
	char			 hours[64];
	float			 cx, y;
	int			 n;

	k = kind_find(c->kind);
	cx = PAGE_W / 2;

	y = PAGE_H - 142.0f;
	if (draw) {
		text_centred(ctx, ctx->bold, 34.0f, cx, y, &crimson,
		    k->title_vi);
		text_centred(ctx, ctx->italic, 15.0f, cx, y - 21.0f, &grey,
		    k->title_en);
		colour(ctx, &gold);
		HPDF_Page_SetLineWidth(ctx->page, 0.8f);
		HPDF_Page_MoveTo(ctx->page, cx - 70.0f, y - 31.0f);
		HPDF_Page_LineTo(ctx->page, cx + 70.0f, y - 31.0f);
		HPDF_Page_Stroke(ctx->page);
	}
	y -= 21.0f + gap + 14.0f;

	y = pair_centred(ctx, y, "Chứng nhận", "This is to certify that",
	    13.0f, draw);

	fit_text(ctx->bold, &name_fit, BODY_W, c->holder_name, &l);
	y -= gap + l.size;
	y = lines_centred(ctx, ctx->bold, cx, y, &navy, &l, 1.15f, draw);

	if (c->holder_id_masked != NULL && c->holder_id_masked[0] != '\0') {
		y -= 10.0f + 9.0f;
		s[0] = (struct seg){ "Số định danh cá nhân", ctx->regular,
		    10.5f, &ink };
		s[1] = (struct seg){ " / Personal ID: ", ctx->italic, 9.5f,
		    &grey };
		s[2] = (struct seg){ c->holder_id_masked, ctx->regular, 10.5f,
		    &ink };
		(void)segs_centred(ctx, cx, y, BODY_W, s, 3, draw);
	}

	y -= gap + 13.0f;
	y = pair_centred(ctx, y, k->lead_vi, k->lead_en, 13.0f, draw);

	fit_text(ctx->bold, &ach_fit, BODY_W, c->achievement, &l);
	y -= 8.0f + l.size;
	y = lines_centred(ctx, ctx->bold, cx, y, &ink, &l, 1.2f, draw);

	n = 0;
	if (c->level != NULL && c->level[0] != '\0') {
		fit_text(ctx->bold, &level_fit, 280.0f, c->level, &level);
		s[n++] = (struct seg){ "Trình độ", ctx->regular, 11.5f, &ink };
		s[n++] = (struct seg){ " / Level: ", ctx->italic, 10.0f,
		    &grey };
		s[n++] = (struct seg){ level.line[0], ctx->bold, level.size,
		    &ink };
	}
	if (c->hours > 0) {
		(void)snprintf(hours, sizeof(hours), "%d giờ", c->hours);
		if (n > 0)
			s[n++] = (struct seg){ "      ", ctx->regular, 11.5f,
			    &ink };
		s[n++] = (struct seg){ "Thời lượng", ctx->regular, 11.5f,
		    &ink };
		s[n++] = (struct seg){ " / Duration: ", ctx->italic, 10.0f,
		    &grey };
		s[n++] = (struct seg){ hours, ctx->bold, 11.5f, &ink };
		s[n++] = (struct seg){ " / hours", ctx->italic, 10.0f, &grey };
	}
	if (n > 0) {
		y -= gap + 11.5f;
		(void)segs_centred(ctx, cx, y, BODY_W, s, n, draw);
	}
	return (y);
}

/*
 * The QR code bottom left and, beside it, how to verify by hand. Dark
 * modules of a row are joined into one rectangle: abutting squares leave
 * hairline seams in some renderers, and a scanner may read a seam.
 */
static void
draw_qr(struct cert_ctx *ctx, const QRcode *qr, const struct certificate *c)
{
	static const struct fit	 url_fit = { 8.5f, 7.0f, 6.5f, 3 };
	HPDF_Page		 p = ctx->page;
	struct lines		 l;
	float			 x0, y0, m, tx, ty;
	int			 row, col, run, i;

	x0 = MARGIN - 6.0f;
	y0 = MARGIN - 6.0f;
	m = QR_SIZE / (float)(qr->width + 2 * QR_QUIET);

	HPDF_Page_SetRGBFill(p, 1.0f, 1.0f, 1.0f);
	HPDF_Page_Rectangle(p, x0, y0, QR_SIZE, QR_SIZE);
	HPDF_Page_Fill(p);
	HPDF_Page_SetRGBFill(p, 0.0f, 0.0f, 0.0f);
	for (row = 0; row < qr->width; row++) {
		for (col = 0; col < qr->width; col = i) {
			for (i = col; i < qr->width &&
			    (qr->data[row * qr->width + i] & 1); i++)
				;
			run = i - col;
			if (run == 0) {
				i++;
				continue;
			}
			HPDF_Page_Rectangle(p, x0 + (QR_QUIET + col) * m,
			    y0 + QR_SIZE - (QR_QUIET + row + 1) * m,
			    run * m, m);
		}
	}
	HPDF_Page_Fill(p);

	tx = x0 + QR_SIZE + 8.0f;
	ty = y0 + QR_SIZE - 4 * m - 10.0f;
	text_at(ctx, ctx->bold, 10.5f, tx, ty, &navy,
	    "Xác thực giấy chứng nhận");
	text_at(ctx, ctx->italic, 9.0f, tx, ty - 12.0f, &grey,
	    "Verify this certificate");
	text_at(ctx, ctx->regular, 9.0f, tx, ty - 30.0f, &ink,
	    "Quét mã QR hoặc mở địa chỉ:");
	text_at(ctx, ctx->italic, 8.0f, tx, ty - 41.0f, &grey,
	    "Scan the QR code or open:");
	fit_text(ctx->sans, &url_fit, 240.0f, c->verify_url, &l);
	ty -= 55.0f;
	for (i = 0; i < l.n; i++, ty -= l.size * 1.3f)
		text_at(ctx, ctx->sans, l.size, tx, ty, &navy, l.line[i]);
	text_at(ctx, ctx->regular, 8.0f, tx, ty - 4.0f, &grey,
	    "Mã chứng nhận / Credential ID:");
	fit_text(ctx->sans, &url_fit, 240.0f, c->credential_id, &l);
	ty -= 15.0f;
	for (i = 0; i < l.n; i++, ty -= l.size * 1.3f)
		text_at(ctx, ctx->sans, l.size, tx, ty, &ink, l.line[i]);
}

/*
 * Bottom right, where the date and the signer go on a Vietnamese paper:
 * "Hà Nội, ngày 05 tháng 02 năm 2026", with the leading zero the rules
 * for administrative papers ask for days below 10 and months 1 and 2.
 */
static void
draw_date(struct cert_ctx *ctx, const struct certificate *c)
{
	static const struct fit	 issuer_fit = { 12.5f, 10.5f, 8.5f, 3 };
	struct lines		 l;
	struct seg		 s[2];
	char			 vi[CERTIFICATE_FIELD_MAX + 64];
	char			 en[64], month[4];
	float			 cx, y;
	int			 yy, mm, dd;

	(void)parse_date(c->issued_on, &yy, &mm, &dd);
	/* "tháng 01", "tháng 02", but "tháng 3" to "tháng 12". */
	(void)snprintf(month, sizeof(month), mm < 3 ? "%02d" : "%d", mm);
	if (c->place != NULL && c->place[0] != '\0')
		(void)snprintf(vi, sizeof(vi), "%s, ngày %02d tháng %s năm %d",
		    c->place, dd, month, yy);
	else
		(void)snprintf(vi, sizeof(vi), "Ngày %02d tháng %s năm %d", dd,
		    month, yy);
	(void)snprintf(en, sizeof(en), "Issued on %d %s %d", dd,
	    months_en[mm - 1], yy);

	cx = PAGE_W - MARGIN - 150.0f;
	y = MARGIN + 142.0f;
	s[0] = (struct seg){ vi, ctx->italic, 12.0f, &ink };
	(void)segs_centred(ctx, cx, y, 290.0f, s, 1, 1);
	text_centred(ctx, ctx->italic, 9.5f, cx, y - 14.0f, &grey, en);

	y -= 40.0f;
	text_centred(ctx, ctx->bold, 10.5f, cx, y, &ink, "ĐƠN VỊ CẤP");
	text_centred(ctx, ctx->italic, 9.0f, cx, y - 12.0f, &grey,
	    "Issued by");
	fit_text(ctx->bold, &issuer_fit, 280.0f, c->issuer, &l);
	y = lines_centred(ctx, ctx->bold, cx, y - 36.0f, &navy, &l, 1.2f, 1);
	s[0] = (struct seg){ "Ký số trong mã QR", ctx->italic, 9.0f, &ink };
	s[1] = (struct seg){ " / Digitally signed in the QR code",
	    ctx->italic, 8.0f, &grey };
	(void)segs_centred(ctx, cx, y - 20.0f, 290.0f, s, 2, 1);
}

/*
 * A revoked paper stays legible but cannot pass for valid: a translucent
 * red stamp across the middle, and the reason upright above the header
 * where the stamp cannot hide it.
 */
static void
draw_revoked(struct cert_ctx *ctx, const char *reason)
{
	static const struct fit	 reason_fit = { 10.5f, 8.0f, 8.0f, 1 };
	HPDF_Page		 p = ctx->page;
	HPDF_ExtGState		 gs;
	struct lines		 l;
	struct seg		 s[3];
	float			 a = 0.22f, w = 470.0f, h = 112.0f;
	int			 n;

	s[0] = (struct seg){ "ĐÃ THU HỒI / REVOKED", ctx->bold, 10.5f,
	    &stamp };
	n = 1;
	if (reason[0] != '\0') {
		fit_text(ctx->bold, &reason_fit, 480.0f, reason, &l);
		s[1] = (struct seg){ "  —  Lý do / Reason: ", ctx->italic,
		    10.0f, &stamp };
		s[2] = (struct seg){ l.line[0], ctx->bold, l.size, &stamp };
		n = 3;
	}
	(void)segs_centred(ctx, PAGE_W / 2, PAGE_H - 45.0f,
	    PAGE_W - 2 * MARGIN, s, n, 1);

	gs = HPDF_CreateExtGState(ctx->doc);
	HPDF_ExtGState_SetAlphaFill(gs, 0.72f);
	HPDF_ExtGState_SetAlphaStroke(gs, 0.72f);

	HPDF_Page_GSave(p);
	HPDF_Page_SetExtGState(p, gs);
	HPDF_Page_Concat(p, cosf(a), sinf(a), -sinf(a), cosf(a), PAGE_W / 2,
	    PAGE_H / 2 + 12.0f);
	colour(ctx, &stamp);
	HPDF_Page_SetLineWidth(p, 4.0f);
	HPDF_Page_Rectangle(p, -w / 2, -h / 2, w, h);
	HPDF_Page_Stroke(p);
	HPDF_Page_SetLineWidth(p, 1.2f);
	HPDF_Page_Rectangle(p, -w / 2 + 6, -h / 2 + 6, w - 12, h - 12);
	HPDF_Page_Stroke(p);
	text_centred(ctx, ctx->bold, 52.0f, 0.0f, h / 2 - 62.0f, &stamp,
	    "ĐÃ THU HỒI");
	text_centred(ctx, ctx->bold, 24.0f, 0.0f, h / 2 - 92.0f, &stamp,
	    "REVOKED");
	HPDF_Page_GRestore(p);
}

/* Copies the finished document out of libharu's memory stream. */
static int
save(struct cert_ctx *ctx, unsigned char **pdf, size_t *len, char *err,
    size_t errlen)
{
	unsigned char	*buf;
	HPDF_UINT32	 size, got, n;
	HPDF_STATUS	 rc;

	if (ctx->error != 0 || HPDF_SaveToStream(ctx->doc) != HPDF_OK ||
	    ctx->error != 0) {
		seterr(err, errlen, "PDF library error 0x%04X (detail %u)",
		    (unsigned int)ctx->error, (unsigned int)ctx->detail);
		return (-1);
	}
	size = HPDF_GetStreamSize(ctx->doc);
	if (size == 0 || (buf = malloc(size)) == NULL) {
		seterr(err, errlen, "no memory for a PDF of %u bytes",
		    (unsigned int)size);
		return (-1);
	}
	for (got = 0; got < size; got += n) {
		n = size - got;
		rc = HPDF_ReadFromStream(ctx->doc, buf + got, &n);
		if (n == 0 || (rc != HPDF_OK && rc != HPDF_STREAM_EOF))
			break;
	}
	if (got != size) {
		free(buf);
		seterr(err, errlen, "PDF stream ended after %u of %u bytes",
		    (unsigned int)got, (unsigned int)size);
		return (-1);
	}
	*pdf = buf;
	*len = size;
	return (0);
}

int
certificate_pdf(const struct certificate *c, const char *fontdir,
    unsigned char **pdf, size_t *len, char *err, size_t errlen)
{
	struct cert_ctx	 ctx;
	QRcode		*qr = NULL;
	float		 gap;
	int		 i, rc = -1;

	*pdf = NULL;
	*len = 0;
	seterr(err, errlen, "%s", "");
	memset(&ctx, 0, sizeof(ctx));
	if (fontdir == NULL)
		fontdir = CERTIFICATE_FONTDIR;

	if (c == NULL) {
		seterr(err, errlen, "no certificate");
		return (-1);
	}
	if (check_fields(c, err, errlen) == -1)
		return (-1);
	if ((qr = qr_encode(c->qr_text, err, errlen)) == NULL)
		return (-1);

	if ((ctx.doc = HPDF_New(pdf_error, &ctx)) == NULL) {
		seterr(err, errlen, "no memory for a PDF document");
		goto done;
	}
	if (HPDF_UseUTFEncodings(ctx.doc) != HPDF_OK ||
	    HPDF_SetCompressionMode(ctx.doc, HPDF_COMP_ALL) != HPDF_OK) {
		seterr(err, errlen, "PDF library error 0x%04X",
		    (unsigned int)ctx.error);
		goto done;
	}
	if (load_fonts(&ctx, fontdir, err, errlen) == -1 ||
	    check_all_glyphs(&ctx, c, err, errlen) == -1)
		goto done;

	/* Plain ASCII: libharu writes info strings without an encoder. */
	HPDF_SetInfoAttr(ctx.doc, HPDF_INFO_TITLE, "Certificate");
	HPDF_SetInfoAttr(ctx.doc, HPDF_INFO_CREATOR,
	    "Social work workforce registry");

	if ((ctx.page = HPDF_AddPage(ctx.doc)) == NULL) {
		seterr(err, errlen, "PDF library error 0x%04X",
		    (unsigned int)ctx.error);
		goto done;
	}
	HPDF_Page_SetSize(ctx.page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_LANDSCAPE);

	draw_frame(&ctx);
	draw_header(&ctx, c);
	/* Long names and titles take their room from the gaps first. */
	for (gap = 22.0f; gap > 6.0f; gap -= 2.0f)
		if (draw_body(&ctx, c, gap, 0) >= BODY_FLOOR)
			break;
	(void)draw_body(&ctx, c, gap, 1);
	draw_qr(&ctx, qr, c);
	draw_date(&ctx, c);
	if (c->revoked_reason != NULL)
		draw_revoked(&ctx, c->revoked_reason);

	for (i = 0; i < FACES; i++)
		if (glyph_closure(ctx.face[i], ctx.path[i], err, errlen) == -1)
			goto done;
	rc = save(&ctx, pdf, len, err, errlen);
done:
	if (ctx.doc != NULL)
		HPDF_Free(ctx.doc);
	QRcode_free(qr);
	return (rc);
}
