-- A course's level: 0004 checked it with training.level_rank(level) IS
-- NOT NULL, which NULL fails too, so no short or title-training course
-- (whose level must be NULL) could be stored. Only a given level must be
-- one of the framework's.
ALTER TABLE training.courses
	DROP CONSTRAINT courses_level_check,
	ADD CONSTRAINT courses_level_check
	    CHECK (level IS NULL OR training.level_rank(level) IS NOT NULL);
