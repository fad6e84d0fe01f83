/*
 * registry-passwd: reads a password on standard input (up to a newline or
 * EOF) and prints its stored form. Used by `make admin` and the demo data
 * so that no password hash is ever committed. With -g it generates a
 * random password instead and prints "password<TAB>hash".
 */
#include <sys/types.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "password.h"

int
main(int argc, char **argv)
{
	char		pw[PASSWORD_MAX_LEN + 2], hash[PASSWORD_HASH_MAX];
	size_t		len;
	int		generate;

	generate = (argc == 2 && strcmp(argv[1], "-g") == 0);
	if (argc > 1 && !generate) {
		fprintf(stderr, "usage: registry-passwd [-g] < password\n");
		return (2);
	}

	if (generate) {
		if (!password_generate(pw, sizeof(pw))) {
			fprintf(stderr, "registry-passwd: no randomness\n");
			return (1);
		}
		len = strlen(pw);
	} else {
		len = fread(pw, 1, sizeof(pw) - 1, stdin);
		pw[len] = '\0';
		if (len > 0 && pw[len - 1] == '\n')
			pw[--len] = '\0';
		if (!password_acceptable(pw, len)) {
			fprintf(stderr, "registry-passwd: a password has %d to "
			    "%d characters\n", PASSWORD_MIN_LEN, PASSWORD_MAX_LEN);
			return (1);
		}
	}

	if (!password_hash(pw, len, PASSWORD_ITERATIONS, hash, sizeof(hash))) {
		fprintf(stderr, "registry-passwd: hashing failed\n");
		return (1);
	}

	if (generate)
		printf("%s\t%s\n", pw, hash);
	else
		printf("%s\n", hash);

	return (0);
}
