-- Award rounds (policies 001 and 003): each unit's nominations, every
-- revision kept, and the council's review. A round is recorded in cycles
-- under its workflow ID (awards/<province>/<year>), so that its decision is
-- numbered in the issuing body's register with the other decisions.

CREATE TABLE award_nominations (
    round_id     text NOT NULL REFERENCES cycles (id),
    unit         text NOT NULL,
    revision     integer NOT NULL CHECK (revision >= 1),
    request_id   text NOT NULL,
    actor        jsonb NOT NULL,
    at           timestamptz NOT NULL,
    nominations  jsonb NOT NULL,  -- []cycle.Nomination with their IDs
    current      boolean NOT NULL DEFAULT true,
    PRIMARY KEY (round_id, unit, revision),
    UNIQUE (round_id, request_id)
);
CREATE UNIQUE INDEX award_nominations_current ON award_nominations (round_id, unit) WHERE current;

CREATE TABLE award_reviews (
    round_id    text PRIMARY KEY REFERENCES cycles (id),
    request_id  text NOT NULL,
    actor       jsonb NOT NULL,
    at          timestamptz NOT NULL,
    review      jsonb NOT NULL    -- cycle.AwardReview
);
