-- One organisation per account (DESIGN.md §4), held by the database: two requests at once can no
-- longer both see "no organisation yet" and both join one. Replaces 0004's plain index.
DROP INDEX members_account;
CREATE UNIQUE INDEX members_one_organisation ON members (account_id);
