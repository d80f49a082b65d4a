-- Every schema feature pull has to carry, written the way people write SQLite by hand.
CREATE TABLE accounts (
  id text PRIMARY KEY NOT NULL,
  email text COLLATE NOCASE NOT NULL,
  handle text COLLATE RTRIM,
  balance integer NOT NULL DEFAULT 0 CHECK (balance >= 0),
  score real DEFAULT 1.5,
  avatar blob DEFAULT X'00ff',
  created_at text NOT NULL DEFAULT (datetime('now')),
  kind text NOT NULL DEFAULT 'basic' CONSTRAINT kind_values CHECK (kind IN ('basic', 'pro')),
  upper_email text GENERATED ALWAYS AS (upper(email)) VIRTUAL,
  email_length integer AS (length(email)) STORED
);
CREATE UNIQUE INDEX accounts_email ON accounts (email);
CREATE UNIQUE INDEX accounts_handle_live ON accounts (handle) WHERE handle IS NOT NULL;
CREATE INDEX accounts_lower_email ON accounts (lower(email));
CREATE INDEX accounts_score_desc ON accounts (score DESC, created_at);
CREATE TABLE memberships (
  account_id text NOT NULL REFERENCES accounts(id) ON DELETE CASCADE ON UPDATE CASCADE,
  team_id integer NOT NULL REFERENCES teams ON DELETE RESTRICT,
  role text DEFAULT 'member',
  PRIMARY KEY (account_id, team_id)
) STRICT;
CREATE TABLE teams (
  id integer PRIMARY KEY AUTOINCREMENT,
  name text NOT NULL UNIQUE,
  parent_id integer REFERENCES teams(id) ON DELETE SET NULL
);
CREATE TABLE settings (key text PRIMARY KEY, value any) WITHOUT ROWID;
CREATE TABLE audit (
  id integer PRIMARY KEY,
  account_id text,
  team_id integer,
  FOREIGN KEY (account_id, team_id) REFERENCES memberships (account_id, team_id) ON DELETE SET NULL
);
CREATE VIEW team_sizes AS SELECT team_id, count(*) AS size FROM memberships GROUP BY team_id;
CREATE TRIGGER team_sizes_insert INSTEAD OF INSERT ON team_sizes BEGIN SELECT RAISE(ABORT, 'read only'); END;
CREATE TRIGGER accounts_audit AFTER DELETE ON accounts BEGIN INSERT INTO audit (account_id) VALUES (OLD.id); END;
