-- The store's first schema: the province registry, cycles, the task inbox,
-- the append-only audit log, proposals with their revisions, selection
-- verdicts, the draft and appraised lists, notifications, and the decision
-- numbering register.
--
-- Codes (province, district, commune) are text as the statistics office
-- writes them: leading zeros matter. Civil dates are `date`, instants
-- `timestamptz`. History that must survive registry changes (proposals,
-- lists, verdicts) names communes by code without a foreign key, and copies
-- the names it needs.

CREATE TABLE provinces (
    code       text PRIMARY KEY,
    name       text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE districts (
    province text NOT NULL REFERENCES provinces (code) ON DELETE CASCADE,
    code     text NOT NULL,
    name     text NOT NULL,
    PRIMARY KEY (province, code)
);

CREATE TABLE communes (
    province  text NOT NULL REFERENCES provinces (code) ON DELETE CASCADE,
    code      text NOT NULL,
    name      text NOT NULL,
    kind      text NOT NULL,
    district  text, -- NULL in a two-tier province
    new_rural boolean NOT NULL DEFAULT false,
    PRIMARY KEY (province, code),
    FOREIGN KEY (province, district) REFERENCES districts (province, code)
);

-- One issuing configuration per province (cycle.Issuer).
CREATE TABLE issuers (
    province         text PRIMARY KEY REFERENCES provinces (code) ON DELETE CASCADE,
    parent_body      text NOT NULL DEFAULT '',
    body             text NOT NULL DEFAULT '',
    body_key         text NOT NULL DEFAULT '',
    number_suffix    text NOT NULL DEFAULT '',
    place            text NOT NULL DEFAULT '',
    committee_name   text NOT NULL DEFAULT '',
    authority_line   text NOT NULL DEFAULT '',
    signer_authority text NOT NULL DEFAULT '',
    signer_title     text NOT NULL DEFAULT '',
    signer_name      text NOT NULL DEFAULT '',
    plan_ref         text NOT NULL DEFAULT ''
);

CREATE TABLE cycles (
    id         text PRIMARY KEY, -- the workflow ID
    province   text NOT NULL REFERENCES provinces (code),
    year       integer NOT NULL,
    policy     jsonb NOT NULL,   -- the policy the cycle runs under, as it started
    phase      text NOT NULL,
    phase_at   timestamptz NOT NULL,
    started_by jsonb NOT NULL,
    started_at timestamptz NOT NULL,
    synthetic  boolean NOT NULL DEFAULT false
);
CREATE INDEX cycles_province_year ON cycles (province, year);

-- The officers' inbox. A task is open while closed_at is NULL; a completed
-- task names who completed it (closed_by), one closed otherwise says why
-- (close_reason).
CREATE TABLE tasks (
    cycle_id     text NOT NULL REFERENCES cycles (id),
    task_id      text NOT NULL,
    kind         text NOT NULL,
    role         text NOT NULL,
    district     text NOT NULL DEFAULT '',
    title        text NOT NULL DEFAULT '',
    due          date,
    opened       date,
    closed_at    timestamptz,
    closed_by    text,
    close_reason text,
    PRIMARY KEY (cycle_id, task_id)
);
CREATE INDEX tasks_open_inbox ON tasks (role, district, due) WHERE closed_at IS NULL;

-- Every completed task, once per (cycle_id, request_id): the request ID of
-- the officer's update makes a retried CompleteTask a no-op.
CREATE TABLE audit_log (
    id             bigserial PRIMARY KEY,
    at             timestamptz NOT NULL,
    cycle_id       text NOT NULL REFERENCES cycles (id),
    task_id        text NOT NULL,
    actor_id       text NOT NULL,
    actor_name     text NOT NULL DEFAULT '',
    actor_role     text NOT NULL,
    actor_district text NOT NULL DEFAULT '',
    action         text NOT NULL, -- the task kind
    request_id     text NOT NULL,
    summary        text NOT NULL DEFAULT '',
    late           boolean NOT NULL DEFAULT false,
    details        jsonb NOT NULL, -- the completion as submitted
    recorded_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (cycle_id, request_id)
);
CREATE INDEX audit_log_cycle_at ON audit_log (cycle_id, at, id);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP;
END
$$;
CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- Every revision of every unit's proposal is kept; exactly one per unit is
-- current (the latest).
CREATE TABLE proposals (
    cycle_id     text NOT NULL REFERENCES cycles (id),
    unit         text NOT NULL,
    revision     integer NOT NULL CHECK (revision >= 1),
    current      boolean NOT NULL,
    submitted_by jsonb NOT NULL,
    submitted_at timestamptz NOT NULL,
    late         boolean NOT NULL DEFAULT false,
    note         text NOT NULL DEFAULT '',
    request_id   text NOT NULL,
    PRIMARY KEY (cycle_id, unit, revision)
);
CREATE UNIQUE INDEX proposals_one_current ON proposals (cycle_id, unit) WHERE current;

CREATE TABLE proposal_statistics (
    cycle_id            text NOT NULL,
    unit                text NOT NULL,
    revision            integer NOT NULL,
    position            integer NOT NULL, -- order as submitted
    commune             text NOT NULL,
    social_order_crimes integer NOT NULL,
    economic_cases      integer NOT NULL,
    environment_cases   integer NOT NULL,
    drug_cases          integer NOT NULL,
    PRIMARY KEY (cycle_id, unit, revision, commune),
    FOREIGN KEY (cycle_id, unit, revision) REFERENCES proposals ON DELETE CASCADE
);

CREATE TABLE proposed_communes (
    cycle_id text NOT NULL,
    unit     text NOT NULL,
    revision integer NOT NULL,
    position integer NOT NULL,
    commune  text NOT NULL,
    types    integer[] NOT NULL,
    reason   text NOT NULL DEFAULT '',
    PRIMARY KEY (cycle_id, unit, revision, commune),
    FOREIGN KEY (cycle_id, unit, revision) REFERENCES proposals ON DELETE CASCADE
);

-- The latest application of the selection rules to a cycle's proposals.
CREATE TABLE selections (
    cycle_id          text PRIMARY KEY REFERENCES cycles (id),
    at                timestamptz NOT NULL,
    province_crimes   integer NOT NULL,
    reported_communes integer NOT NULL,
    total_communes    integer NOT NULL,
    province_average  double precision NOT NULL,
    cap               integer NOT NULL,
    averages          jsonb NOT NULL,
    missing           text[] NOT NULL
);

CREATE TABLE selection_candidates (
    cycle_id            text NOT NULL REFERENCES selections (cycle_id) ON DELETE CASCADE,
    position            integer NOT NULL,
    commune             text NOT NULL,
    name                text NOT NULL,
    district            text NOT NULL DEFAULT '',
    district_name       text NOT NULL DEFAULT '',
    types               integer[] NOT NULL,
    social_order_crimes integer NOT NULL,
    economic_cases      integer NOT NULL,
    environment_cases   integer NOT NULL,
    drug_cases          integer NOT NULL,
    reason              text NOT NULL DEFAULT '',
    eligible            boolean NOT NULL,
    rank                integer NOT NULL,
    selected            boolean NOT NULL,
    checks              jsonb NOT NULL, -- [{rule, passed, detail}]
    PRIMARY KEY (cycle_id, commune)
);

-- Each consolidation and each appraisal of a cycle is a round: the list is
-- returned to the secretariat, consolidated again, appraised again.
CREATE TABLE consolidations (
    cycle_id   text NOT NULL REFERENCES cycles (id),
    round      integer NOT NULL,
    request_id text NOT NULL,
    actor      jsonb NOT NULL,
    at         timestamptz NOT NULL,
    decisions  jsonb NOT NULL,
    note       text NOT NULL DEFAULT '',
    PRIMARY KEY (cycle_id, round)
);

CREATE TABLE appraisals (
    cycle_id   text NOT NULL REFERENCES cycles (id),
    round      integer NOT NULL,
    request_id text NOT NULL,
    actor      jsonb NOT NULL,
    at         timestamptz NOT NULL,
    approved   boolean NOT NULL,
    reason     text NOT NULL DEFAULT '',
    minutes    text NOT NULL DEFAULT '',
    members    text[] NOT NULL,
    removals   jsonb NOT NULL,
    PRIMARY KEY (cycle_id, round)
);

-- The draft list of each consolidation round and the list each appraisal
-- round reports to the head.
CREATE TABLE list_entries (
    cycle_id      text NOT NULL REFERENCES cycles (id),
    stage         text NOT NULL CHECK (stage IN ('draft', 'appraised')),
    round         integer NOT NULL,
    position      integer NOT NULL,
    rank          integer NOT NULL,
    commune       text NOT NULL,
    name          text NOT NULL,
    district      text NOT NULL DEFAULT '',
    district_name text NOT NULL DEFAULT '',
    types         integer[] NOT NULL,
    extension     boolean NOT NULL DEFAULT false,
    PRIMARY KEY (cycle_id, stage, round, commune)
);

CREATE TABLE notifications (
    key      text PRIMARY KEY, -- cycle.Notification.Key()
    cycle_id text NOT NULL REFERENCES cycles (id),
    task_id  text NOT NULL,
    kind     text NOT NULL,
    role     text NOT NULL,
    district text NOT NULL DEFAULT '',
    due      date,
    message  text NOT NULL,
    seq      integer NOT NULL,
    at       timestamptz NOT NULL
);
CREATE INDEX notifications_cycle_at ON notifications (cycle_id, at);

-- Decision numbers run per issuing body per year, from 1, without gaps or
-- repeats. The register row is the lock that serialises numbering.
CREATE TABLE decision_register (
    body_key    text NOT NULL,
    year        integer NOT NULL,
    last_number integer NOT NULL DEFAULT 0 CHECK (last_number >= 0),
    PRIMARY KEY (body_key, year)
);

CREATE TABLE decisions (
    id        text PRIMARY KEY,
    cycle_id  text NOT NULL REFERENCES cycles (id),
    kind      text NOT NULL,
    body_key  text NOT NULL,
    year      integer NOT NULL,
    number    integer NOT NULL CHECK (number >= 1),
    code      text NOT NULL DEFAULT '',
    date      date,
    signed_by jsonb NOT NULL,
    issued_by jsonb NOT NULL,
    issued_at timestamptz,
    communes  jsonb NOT NULL,
    sha256    text NOT NULL DEFAULT '',
    path      text NOT NULL DEFAULT '',
    pdf       bytea, -- NULL until SaveDecision
    UNIQUE (body_key, year, number),
    FOREIGN KEY (body_key, year) REFERENCES decision_register
);
CREATE INDEX decisions_cycle ON decisions (cycle_id);
