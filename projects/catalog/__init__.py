"""Import and export of the project catalog as JSON; the format is described in docs/catalog-format.md."""
