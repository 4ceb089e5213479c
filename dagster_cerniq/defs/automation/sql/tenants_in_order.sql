select id::text from tenants
order by created_at, id
