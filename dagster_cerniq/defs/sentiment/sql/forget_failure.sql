-- A message analysed at last is no longer a failure.
delete from cerniq_sentiment_failures
where tenant_id = %(tenant_id)s and message_id = %(message_id)s
