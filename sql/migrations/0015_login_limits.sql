-- Sign-in limits that hold under concurrency and floods, and API tokens
-- that end.
--
-- A sign-in now reserves its attempt before the password is checked: the
-- row is written 'pending' by api.login_begin, counted like a failure from
-- then on, and turned into 'success', 'failure' or 'disabled' by
-- api.login_finish. So a burst of concurrent guesses can no longer all be
-- checked before the first failure is recorded. Attempts are also counted
-- per client address (the ip index).
--
-- Failures of unknown logins and throttled attempts after the first of a
-- lock are no longer audit rows each (a flood wrote one hash-chained row
-- per request): they are counted in auth.login_counts, one row per client
-- address and 15-minute window.
--
-- Tokens get an expiry (existing ones: 90 days from now, the default for
-- new ones) and a reason when they end otherwise (revoked, password reset,
-- account disabled).

ALTER TABLE auth.login_attempts DROP CONSTRAINT login_attempts_outcome_check;
ALTER TABLE auth.login_attempts ADD CONSTRAINT login_attempts_outcome_check
	CHECK (outcome IN ('pending', 'success', 'failure', 'throttled',
	    'disabled'));
CREATE INDEX login_attempts_ip_at ON auth.login_attempts (ip, at);

CREATE TABLE auth.login_counts (
	ip		inet NOT NULL,
	window_start	timestamptz NOT NULL,
	unknown_failures integer NOT NULL DEFAULT 0
			    CHECK (unknown_failures >= 0),
	throttled	integer NOT NULL DEFAULT 0 CHECK (throttled >= 0),
	last_at		timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (ip, window_start)
);

ALTER TABLE auth.tokens ADD COLUMN expires_at timestamptz,
	ADD COLUMN ended_reason text CHECK (ended_reason IN ('revoked',
	    'password_reset', 'disabled'));
UPDATE auth.tokens SET expires_at = now() + interval '90 days';
ALTER TABLE auth.tokens ALTER COLUMN expires_at SET DEFAULT now() + interval '90 days';
UPDATE auth.tokens SET ended_reason = 'revoked' WHERE revoked_at IS NOT NULL;
ALTER TABLE auth.tokens ALTER COLUMN expires_at SET NOT NULL;
