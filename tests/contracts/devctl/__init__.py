"""devctl: the example consumer. Small client functions over requests/httpx (SaaS) and boto3 (AWS)."""
