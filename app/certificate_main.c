/*
 * registry-certificate: reads one JSON object with the fields of struct
 * certificate on standard input and writes the PDF to standard output, so
 * an operator can preview the layout and the tests can read the page back
 * (pdftotext, zbarimg) without a server. -f names the font directory.
 *
 *   echo '{"credential_id": "...", "kind": "course", ...}' |
 *       registry-certificate >certificate.pdf
 */
#include <sys/types.h>

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "certificate_pdf.h"

struct field {
	const char	*name;
	size_t		 offset;
};

#define FIELD(f)	{ #f, offsetof(struct certificate, f) }

static const struct field	fields[] = {
	FIELD(credential_id), FIELD(kind), FIELD(holder_name),
	FIELD(holder_id_masked), FIELD(achievement), FIELD(level),
	FIELD(issuer), FIELD(place), FIELD(issued_on), FIELD(verify_url),
	FIELD(qr_text), FIELD(revoked_reason),
};

static int	from_json(json_t *, struct certificate *);
static void	usage(void) __attribute__((noreturn));

static void
usage(void)
{
	fprintf(stderr, "usage: registry-certificate [-f fontdir] "
	    "< certificate.json > certificate.pdf\n");
	exit(2);
}

/*
 * Unknown keys are refused: a misspelt optional field would otherwise
 * vanish from the preview without a word.
 */
static int
from_json(json_t *obj, struct certificate *c)
{
	const char	*key;
	json_t		*v;
	size_t		 i;

	json_object_foreach(obj, key, v) {
		if (strcmp(key, "hours") == 0) {
			if (!json_is_integer(v) || json_integer_value(v) < 0 ||
			    json_integer_value(v) > 100000) {
				fprintf(stderr, "registry-certificate: hours "
				    "is an integer from 0 to 100000\n");
				return (-1);
			}
			c->hours = (int)json_integer_value(v);
			continue;
		}
		for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
			if (strcmp(key, fields[i].name) == 0)
				break;
		if (i == sizeof(fields) / sizeof(fields[0])) {
			fprintf(stderr, "registry-certificate: unknown field "
			    "\"%s\"\n", key);
			return (-1);
		}
		if (json_is_null(v))
			continue;
		if (!json_is_string(v)) {
			fprintf(stderr, "registry-certificate: %s is a "
			    "string\n", key);
			return (-1);
		}
		*(const char **)(void *)((char *)c + fields[i].offset) =
		    json_string_value(v);
	}
	return (0);
}

int
main(int argc, char **argv)
{
	struct certificate	 c;
	json_error_t		 jerr;
	json_t			*obj;
	unsigned char		*pdf;
	const char		*fontdir = NULL;
	char			 err[256];
	size_t			 len;
	int			 ch, rc = 1;

	while ((ch = getopt(argc, argv, "f:")) != -1) {
		switch (ch) {
		case 'f':
			fontdir = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	if (isatty(STDOUT_FILENO)) {
		fprintf(stderr, "registry-certificate: not writing a PDF to "
		    "a terminal\n");
		return (2);
	}

	obj = json_loadf(stdin, JSON_REJECT_DUPLICATES, &jerr);
	if (obj == NULL || !json_is_object(obj)) {
		fprintf(stderr, "registry-certificate: standard input is not "
		    "a JSON object: %s\n", obj == NULL ? jerr.text : "");
		goto done;
	}
	memset(&c, 0, sizeof(c));
	if (from_json(obj, &c) == -1)
		goto done;
	if (certificate_pdf(&c, fontdir, &pdf, &len, err, sizeof(err)) == -1) {
		fprintf(stderr, "registry-certificate: %s\n", err);
		goto done;
	}
	if (fwrite(pdf, 1, len, stdout) != len || fflush(stdout) != 0)
		perror("registry-certificate: standard output");
	else
		rc = 0;
	free(pdf);
done:
	json_decref(obj);
	return (rc);
}
