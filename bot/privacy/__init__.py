"""Data protection: erasure of a customer (GDPR Art. 17) and retention periods."""
