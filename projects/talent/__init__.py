"""The talent registry's public forms, personal links, staff views and emails (issue 9, docs/talent.md)."""
