-- The run's tenants' snapshots (SCORE, PROJECT, TRAIN), and the other tenants' TRAIN rows when
-- a pooled model is needed (%(pooled)s).
select f.*
from {fct_churn_prediction_features} as f
where
    f.tenant_id = any(%(tenants)s::uuid[])
    or (%(pooled)s and f.snapshot_role = 'TRAIN')
