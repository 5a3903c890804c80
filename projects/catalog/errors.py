"""Errors and warnings found in a catalog file, worded in Japanese for the people who keep the catalog."""


class CatalogError(Exception):
    """The catalog cannot be imported. `errors` lists every problem found, each naming its record and key."""

    def __init__(self, errors, warnings=()):
        self.errors = list(errors)
        self.warnings = list(warnings)
        super().__init__("\n".join(self.errors))


class Problems:
    """Collects errors and warnings while a catalog is read, so that all of them are reported at once."""

    def __init__(self):
        self.errors = []
        self.warnings = []

    def error(self, where, message):
        self.errors.append(f"{where}: {message}")

    def warn(self, where, message):
        self.warnings.append(f"{where}: {message}")

    def raise_if_any(self):
        if self.errors:
            raise CatalogError(self.errors, self.warnings)
