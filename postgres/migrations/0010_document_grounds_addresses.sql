-- Documents a legal officer can sign (issue 15).
--
-- An issuer's configuration beyond its printed names: what kind of body
-- it is, its head's title, the acts its decisions rest on (founding act,
-- working rules), the province's own plans — one JSON document beside the
-- columns, in the shape of cycle.Issuer's fields.
ALTER TABLE issuers ADD COLUMN config jsonb NOT NULL DEFAULT '{}';

-- Whom each issued document is addressed to: the districts, communes and
-- provincial bodies it names (its "Nơi nhận" resolved), for each unit's
-- inbox. A unit is a registry code; a body is its role.
CREATE TABLE document_addresses (
    document_id text NOT NULL REFERENCES archived_documents (id),
    province    text NOT NULL,
    recipient   text NOT NULL,            -- "unit:21190", "role:secretariat"
    unit        text NOT NULL DEFAULT '', -- the district's or commune's code
    role        text NOT NULL DEFAULT '', -- or the body's role
    name        text NOT NULL,            -- as the document names it
    line        text NOT NULL DEFAULT '', -- the "Nơi nhận" line naming it
    addressed_at timestamptz NOT NULL,
    PRIMARY KEY (document_id, recipient),
    CHECK ((unit = '') <> (role = ''))
);
CREATE INDEX document_addresses_recipient ON document_addresses (province, recipient, addressed_at DESC);
