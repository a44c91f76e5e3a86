"""The public REST API for other trades (/api/v1/), calling the same services as the screens."""
