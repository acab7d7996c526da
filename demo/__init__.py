"""Bundled demo site for warta: static server, generator and self-check."""
