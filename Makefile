# Social-work workforce registry: build, database and run targets.
#
#   make run     install what is missing, build, start the private database,
#                migrate, load reference + demo data, serve on $(PORT)
#   make test    every test suite against a throw-away database and server
#   make stop    stop the private PostgreSQL cluster under var/
#   make admin   create the first admin account (password printed once)
#
# DATABASE_URL=postgres://... uses that database instead of the private one.

SHELL		:= /bin/bash
export REGISTRY_ROOT := $(CURDIR)

PORT		?= 8888
BUILD		:= build
KORE_SRC	:= /usr/share/kore
KORE_DIR	:= $(BUILD)/kore
KORE		:= $(KORE_DIR)/kore
APP		:= $(BUILD)/registry.so
PASSWD		:= $(BUILD)/registry-passwd
CERT		:= $(BUILD)/registry-certificate
KEYS		:= $(BUILD)/registry-keys
VERIFY		:= $(BUILD)/registry-verify
CONF		:= $(BUILD)/registry-$(PORT).conf

# Debian packages the build, the database and the tests need.
PACKAGES	:= build-essential pkg-config libssl-dev libpq-dev \
		   libcurl4-openssl-dev libjansson-dev libcmocka-dev \
		   postgresql-15 postgresql-contrib postgresql-15-pgtap \
		   libtap-parser-sourcehandler-pgtap-perl \
		   libxlsxwriter-dev libzip-dev libexpat1-dev libcsv-dev \
		   libhpdf-dev libqrencode-dev fonts-dejavu-core \
		   curl jq bats nginx-light openssl kore python3 \
		   poppler-utils zbar-tools

CC		?= cc
WARNINGS	:= -Wall -Wextra -Werror -Wmissing-prototypes \
		   -Wstrict-prototypes -Wmissing-declarations -Wshadow \
		   -Wpointer-arith -Wcast-qual -Wsign-compare \
		   -Wno-missing-field-initializers
CFLAGS		+= -std=c11 -D_GNU_SOURCE -O2 -g -fPIC -fstack-protector-strong \
		   $(WARNINGS) -I$(KORE_DIR)/include -I$(KORE_DIR)/include/kore \
		   -I$(KORE_DIR)/obj -I$(shell pg_config --includedir 2>/dev/null) \
		   -DKORE_USE_PGSQL -DKORE_USE_TASKS -DKORE_USE_CURL

APP_SRC		:= $(filter-out app/%_main.c,$(wildcard app/*.c))
APP_OBJ		:= $(APP_SRC:app/%.c=$(BUILD)/app/%.o)
# Pure modules: no Kore includes, shared with the unit tests and the CLI.
PURE_SRC	:= app/password.c app/crypto.c app/validate.c app/cccd.c \
		   app/jws.c app/certificate_pdf.c $(wildcard app/sheet*.c)
PURE_LIBS	:= -lcrypto -ljansson -lzip -lexpat -lcsv -lxlsxwriter -lhpdf \
		   -lqrencode -lm

SQLENV		= . sql/env.sh

.PHONY: all deps build run stop db migrate reference demo admin keys test \
	unit-tests clean distclean

all: build

deps:
	@missing=""; for p in $(PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | \
		    grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		if [ "$$(id -u)" -eq 0 ]; then SUDO=""; else SUDO=sudo; fi; \
		$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
		$$SUDO env DEBIAN_FRONTEND=noninteractive \
		    apt-get install -y -qq --no-install-recommends $$missing; \
	fi

build: $(KORE) $(APP) $(PASSWD) $(CERT) $(KEYS) $(VERIFY) $(CONF)

# Kore is built from the source Debian ships, with CURL added to the
# PGSQL and TASKS that Debian's own binary has.
$(KORE): | deps
	rm -rf $(KORE_DIR)
	mkdir -p $(BUILD)
	cp -r $(KORE_SRC) $(KORE_DIR)
	$(MAKE) -C $(KORE_DIR) PGSQL=1 TASKS=1 CURL=1 kore >$(BUILD)/kore-build.log 2>&1 \
	    || { tail -30 $(BUILD)/kore-build.log; exit 1; }

$(BUILD)/app/%.o: app/%.c app/*.h $(KORE)
	@mkdir -p $(BUILD)/app
	$(CC) $(CFLAGS) -c $< -o $@

$(APP): $(APP_OBJ)
	$(CC) -shared $(APP_OBJ) -o $@ $(PURE_LIBS) -lcurl

# The command-line tools, each from app/<name>_main.c and the pure modules:
# registry-passwd (password hashes), registry-certificate (JSON on stdin,
# the printable PDF on stdout), registry-keys (key ring: new, list, retire,
# sign) and registry-verify (offline check of a signed credential).
$(PASSWD) $(CERT) $(KEYS) $(VERIFY): $(BUILD)/registry-%: app/%_main.c \
    $(PURE_SRC) app/*.h
	@mkdir -p $(BUILD)
	$(CC) -std=c11 -D_GNU_SOURCE -O2 $(WARNINGS) $< \
	    $(PURE_SRC) -o $@ $(PURE_LIBS)

$(CONF): conf/registry.conf.in Makefile
	@mkdir -p $(BUILD)
	sed -e 's|@PORT@|$(PORT)|g' -e 's|@ROOT@|$(CURDIR)|g' $< >$@

db: | deps
	@sql/db start

stop:
	@sql/db stop

migrate: db
	@$(SQLENV) && sql/migrate

reference: migrate
	@$(SQLENV) && sql/load reference

demo: reference $(PASSWD)
	@$(SQLENV) && sql/load demo

admin: migrate $(PASSWD)
	@$(SQLENV) && sql/admin

# The signing key ring (conf/credentials.conf): made once, never in git.
keys: var/keys/current

var/keys/current: | $(KEYS)
	$(KEYS) new -d var/keys

run: build demo keys
	@mkdir -p var/tmp
	@$(SQLENV) && echo && \
	    echo "Registry API: http://127.0.0.1:$(PORT)/api/v1/" \
	         "(described at /api/v1/openapi.json, health at /healthz)" && \
	    echo "Ctrl-C stops it; 'make stop' stops the database." && \
	    echo "Demo accounts, password 'demo-2026':" && \
	    echo "  admin, hr.quangninh, hr.dongthap, bcd.quangninh," \
	         "bcd.national, ulsa" && echo && \
	    exec env REGISTRY_DSN="$$APP_DSN" REGISTRY_ROOT="$(CURDIR)" \
	    REGISTRY_PUBLIC_URL="$${REGISTRY_PUBLIC_URL:-http://127.0.0.1:$(PORT)}" \
	    PGOPTIONS="$$APP_PGOPTIONS" $(KORE) -f -n -r -c $(CONF)

test: build db
	@tests/run

# Unit tests of the pure modules, with AddressSanitizer and UBSan.
UNIT_SRC	:= $(wildcard tests/unit/test_*.c)
UNIT_BIN	:= $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/unit/%)

unit-tests: $(UNIT_BIN)

$(BUILD)/tests/unit/%: tests/unit/%.c $(PURE_SRC) app/*.h
	@mkdir -p $(BUILD)/tests/unit
	$(CC) -std=c11 -D_GNU_SOURCE -g -O1 $(WARNINGS) -Iapp \
	    -fsanitize=address,undefined -fno-omit-frame-pointer \
	    $< $(PURE_SRC) -o $@ $(PURE_LIBS) -lcmocka

clean:
	rm -rf $(BUILD)/app $(APP) $(PASSWD) $(CERT) $(KEYS) $(VERIFY) \
	    $(BUILD)/registry-*.conf $(BUILD)/tests

distclean: stop
	rm -rf $(BUILD) var
