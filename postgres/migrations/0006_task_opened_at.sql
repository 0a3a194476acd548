-- When the workflow opened a task (its calendar time). An opening reopens a
-- closed task only if it is not older than the closing: the retry of an
-- opening whose first attempt died before reporting may run after the
-- officer completed the task, and must not put it back in the inbox.
-- NULL (rows and openings from before): reopened as before.
ALTER TABLE tasks ADD COLUMN opened_at timestamptz;
