CREATE TABLE IF NOT EXISTS vehicles (
    id bigserial PRIMARY KEY,
    fleet_id bigint NOT NULL,
    plate text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
