-- Every PDF is stored once, content-addressed by its SHA-256: the archive
-- of issued documents, the decisions and the drafts refer to it by hash.
-- Before this migration an issued PDF was kept twice (decisions.pdf and
-- archived_documents.pdf), and a third time on the worker's disk.
CREATE TABLE blobs (
    sha256     text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size       integer NOT NULL,
    data       bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO blobs (sha256, size, data)
SELECT sha256, length(pdf), pdf FROM archived_documents
ON CONFLICT (sha256) DO NOTHING;
INSERT INTO blobs (sha256, size, data)
SELECT encode(sha256(pdf), 'hex'), length(pdf), pdf FROM decisions WHERE pdf IS NOT NULL
ON CONFLICT (sha256) DO NOTHING;
UPDATE decisions SET sha256 = encode(sha256(pdf), 'hex') WHERE pdf IS NOT NULL;

-- archived_documents is write-once (its trigger refuses UPDATE): the
-- column goes with its trigger lifted for the length of the change.
ALTER TABLE archived_documents DISABLE TRIGGER archived_documents_no_update;
ALTER TABLE archived_documents DROP COLUMN pdf;
ALTER TABLE archived_documents ADD FOREIGN KEY (sha256) REFERENCES blobs (sha256);
ALTER TABLE archived_documents ENABLE TRIGGER archived_documents_no_update;
ALTER TABLE decisions DROP COLUMN pdf;
ALTER TABLE decisions DROP COLUMN path;
