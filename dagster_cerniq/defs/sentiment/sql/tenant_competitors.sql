select competitor_name
from cerniq_tenant_competitors
where tenant_id = %(tenant_id)s and is_active
order by competitor_name
