-- The transformation year and what follows it (activities.TransformationStore):
-- every commune of a cohort in the programme, with where it stands; its
-- reports with their verdicts; the council's year-end outcome per commune
-- and programme year, for the province's indicators; the failure and
-- responsibility reviews.
--
-- A commune's tasks are recorded under its cohort's cycle (the yearly cycle
-- that first listed it); tasks.workflow_id names the commune's workflow,
-- which completes them. As in 0001, communes are named by code without a
-- foreign key to the registry, with the names the documents need copied.

-- The workflow that completes the task; '' = the cycle (tasks.cycle_id).
ALTER TABLE tasks ADD COLUMN workflow_id text NOT NULL DEFAULT '';

-- One row per commune workflow: the commune as it was listed, the
-- programme year it is in, and its standing.
CREATE TABLE transformations (
    workflow_id   text PRIMARY KEY,
    cycle_id      text NOT NULL REFERENCES cycles (id), -- the cohort's cycle
    province      text NOT NULL,
    commune       text NOT NULL,
    name          text NOT NULL,
    kind          text NOT NULL DEFAULT '',
    district      text NOT NULL DEFAULT '',
    district_name text NOT NULL DEFAULT '',
    types         integer[] NOT NULL,
    rank          integer NOT NULL DEFAULT 0, -- its rank on the list that first named it
    first_year    integer NOT NULL,
    year          integer NOT NULL,           -- the programme year it is in
    year_no       integer NOT NULL CHECK (year_no IN (1, 2)),
    standing      text NOT NULL CHECK (standing IN ('in_programme', 'follow_up', 'recognised', 'relapsed',
                                                    'second_year', 'responsibility_review')),
    decision      text NOT NULL DEFAULT '',   -- the recognition decision's code
    note          text NOT NULL DEFAULT '',
    updated       timestamptz NOT NULL
);
CREATE INDEX transformations_province ON transformations (province, first_year, commune);
CREATE INDEX transformations_year ON transformations (province, year, year_no);

-- Every report of every commune, once per kind and programme year, with the
-- verdict it was evaluated to.
CREATE TABLE transformation_reports (
    id             bigserial PRIMARY KEY,
    cycle_id       text NOT NULL REFERENCES cycles (id),
    workflow_id    text NOT NULL,
    task_id        text NOT NULL,
    commune        text NOT NULL,
    programme      jsonb NOT NULL, -- cycle.CommuneInProgramme as it was when reported
    kind           text NOT NULL CHECK (kind IN ('half_year', 'yearly', 'follow_up')),
    year           integer NOT NULL,
    period_from    date,
    period_to      date,
    baseline_from  date,
    baseline_to    date,
    report         jsonb NOT NULL, -- cycle.TransformationReport
    verdict        jsonb NOT NULL, -- cycle.Verdict
    outcome        text NOT NULL DEFAULT '',
    actor_id       text NOT NULL,
    actor_name     text NOT NULL DEFAULT '',
    actor_role     text NOT NULL DEFAULT '',
    actor_district text NOT NULL DEFAULT '',
    request_id     text NOT NULL,
    at             timestamptz NOT NULL,
    late           boolean NOT NULL DEFAULT false,
    UNIQUE (workflow_id, kind, year)
);
CREATE INDEX transformation_reports_cycle_at ON transformation_reports (cycle_id, at, id);

-- The council's outcome of each commune's programme year (pass or fail),
-- and for a commune that passed, how its follow-up came out.
CREATE TABLE transformation_outcomes (
    province   text NOT NULL,
    commune    text NOT NULL,
    year       integer NOT NULL, -- the programme year appraised
    cycle_id   text NOT NULL REFERENCES cycles (id),
    name       text NOT NULL,
    year_no    integer NOT NULL,
    outcome    text NOT NULL CHECK (outcome IN ('pass', 'fail')),
    overridden boolean NOT NULL DEFAULT false,
    reason     text NOT NULL DEFAULT '',
    verdict    jsonb NOT NULL, -- cycle.Verdict the council decided on
    follow_up  text CHECK (follow_up IN ('held', 'relapsed')), -- NULL until the follow-up ends
    PRIMARY KEY (province, commune, year)
);

-- A failure review (kiểm điểm) after a failed first year, or a
-- responsibility review after a failed second year: once per commune
-- workflow, kind and programme year.
CREATE TABLE transformation_reviews (
    cycle_id    text NOT NULL REFERENCES cycles (id),
    workflow_id text NOT NULL,
    task_id     text NOT NULL DEFAULT '',
    commune     text NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('failure', 'responsibility')),
    year        integer NOT NULL,
    review      jsonb NOT NULL, -- {"failure": …} or {"responsibility": …}
    actor       jsonb NOT NULL,
    request_id  text NOT NULL,
    at          timestamptz NOT NULL,
    late        boolean NOT NULL DEFAULT false,
    PRIMARY KEY (workflow_id, kind, year)
);
