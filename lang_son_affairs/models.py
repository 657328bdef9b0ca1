"""The project package holds no models; this module lets post_migrate reach its app (roles)."""
