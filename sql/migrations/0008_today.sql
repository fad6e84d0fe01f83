-- Today's figures, kept: the facts behind every commune's gap flags, and
-- each person's standing in each province and in the nation, on one day.
-- The gap report of a province and the national indicators then read a
-- few thousand rows instead of every spell.
--
-- The rows are kept exact by triggers (sql/api/85_today.sql): a write to
-- a spell, a work unit or a training record notes what it touched in
-- plans.today_pending, and at commit, in the same transaction, those
-- communes and people are computed again. A change the triggers cannot
-- narrow down (a base salary, the geography) and a new day make the
-- summary void (day NULL or past) until it is rebuilt by the server's
-- keeper (api.today_keep, about once a minute); meanwhile reads compute
-- from the spells, as they always do for another day or units=historical.

-- One row: the day the summary describes, NULL while it is void.
CREATE TABLE plans.today_state (
	only_row	boolean PRIMARY KEY DEFAULT true CHECK (only_row),
	day		date,
	built_at	timestamptz,
	build_ms	integer
);
INSERT INTO plans.today_state DEFAULT VALUES;

-- One row per commune of today: lib.commune_facts, plus what the
-- indicators add up over communes (FTE by category, facilities).
CREATE TABLE plans.today_communes (
	commune_id		integer PRIMARY KEY REFERENCES geo.units (id),
	province_id		integer NOT NULL REFERENCES geo.units (id),
	staff			integer NOT NULL,
	qualifying		integer NOT NULL,
	officials		integer NOT NULL,
	collaborators		integer NOT NULL,
	collaborators_qualifying integer NOT NULL,
	collaborators_below_base integer NOT NULL,
	concurrent_only		boolean NOT NULL,
	trained			integer NOT NULL,
	volunteers		integer NOT NULL,
	fte			numeric NOT NULL,
	headcount_year_ago	integer NOT NULL,
	separations		integer NOT NULL,
	voluntary_separations	integer NOT NULL,
	trained_lost		integer NOT NULL,
	trained_replaced	integer NOT NULL,
	median_tenure_days	numeric,
	last_covered		date,
	fte_professional	numeric NOT NULL,
	fte_commune_post	numeric NOT NULL,
	fte_concurrent		numeric NOT NULL,
	fte_collaborator	numeric NOT NULL,
	facilities		integer NOT NULL,
	facilities_served	integer NOT NULL
);
CREATE INDEX today_communes_province ON plans.today_communes (province_id);

-- One row per person and scope (0: the nation; otherwise today's
-- province) for everyone an indicator of the day may count: in post on
-- the day, a year before it, trained while in the workforce there, or
-- separated from it in the last twelve months. Counting people once per
-- scope is why this is not a sum over communes: a person may hold spells
-- in two communes.
CREATE TABLE plans.today_people (
	scope_id		integer NOT NULL,
	person_id		bigint NOT NULL,
	workforce		boolean NOT NULL,
	professional		boolean NOT NULL,
	commune_post		boolean NOT NULL,
	concurrent		boolean NOT NULL,
	collaborator		boolean NOT NULL,
	volunteer		boolean NOT NULL,
	title_v090401		boolean NOT NULL,
	title_v090402		boolean NOT NULL,
	title_v090403		boolean NOT NULL,
	-- In the workforce 365 days before (turnover) and one calendar year
	-- before (the default baseline of growth).
	workforce_365_ago	boolean NOT NULL,
	workforce_year_ago	boolean NOT NULL,
	separations		integer NOT NULL,
	voluntary_separations	integer NOT NULL,
	trained_on		date,
	-- The last day of the person's workforce spells there that started
	-- by the day ('infinity' while one runs): "trained since" counts
	-- those whose spells reach the start of the period.
	workforce_until		date,
	PRIMARY KEY (scope_id, person_id)
);
CREATE INDEX today_people_person ON plans.today_people (person_id);

-- What the current transaction has touched and not yet recomputed: one
-- row per transaction, inserted by the first write and consumed by a
-- deferred trigger at commit, so it is never seen by another session.
-- Unlogged: after a crash there is nothing to keep.
CREATE UNLOGGED TABLE plans.today_pending (
	xact		xid8 PRIMARY KEY DEFAULT pg_current_xact_id(),
	units		integer[] NOT NULL DEFAULT '{}',
	communes	integer[] NOT NULL DEFAULT '{}',
	people		bigint[] NOT NULL DEFAULT '{}'
);
