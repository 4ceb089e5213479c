-- Rollback of 20260119_000_create_base_tables: drops only the tables that migration created
-- (newest first, so foreign keys go before what they reference); tables the Cerniq app owned
-- before it ran keep their data. The PostGIS extension stays: other schemas may use it.
DO $$
DECLARE
    created RECORD;
BEGIN
    FOR created IN
        SELECT object_name FROM cerniq_e5_created_objects ORDER BY ordinal DESC
    LOOP
        EXECUTE format('DROP TABLE IF EXISTS %I', created.object_name);
    END LOOP;
END $$;
DROP TABLE cerniq_e5_created_objects;
