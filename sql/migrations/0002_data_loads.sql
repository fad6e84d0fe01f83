-- Which data set version is loaded, so `make run` can skip reloading the
-- reference files when their checksum has not changed.
CREATE TABLE public.data_loads (
	name		text PRIMARY KEY,
	checksum	text NOT NULL,
	loaded_at	timestamptz NOT NULL DEFAULT now()
);
