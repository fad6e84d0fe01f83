#!/usr/bin/env bats
# Tampering with the audit log is detected. This breaks the chain for
# good, so it runs after every other audit test (files run in name order).

load helpers

setup_file() {
	login admin
}

@test "an audit row edited behind the server's back is reported by /audit/verify" {
	as admin GET /api/v1/audit/verify
	expect_status 200
	expect_json .ok true
	local victim
	victim=$(owner_sql "SELECT id FROM audit.log ORDER BY id OFFSET 1 LIMIT 1")
	[ -n "$victim" ] || fail_with "the log has fewer than two rows"
	# The guard refuses any change to a sealed row; an owner can turn it
	# off (as the superuser of a stolen copy could), and is still caught.
	owner_sql "BEGIN; ALTER TABLE audit.log DISABLE TRIGGER log_guard;
	    UPDATE audit.log SET after = '{\"x\":1}' WHERE id = $victim;
	    ALTER TABLE audit.log ENABLE TRIGGER log_guard; COMMIT"
	as admin GET /api/v1/audit/verify
	expect_status 200
	expect_json .ok false
	expect_json .first_bad_id "$victim"
	expect_json '.rows > 1' true
}
