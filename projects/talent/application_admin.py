"""Admin views and menu items of the talent registry (being built for issue 9)."""
