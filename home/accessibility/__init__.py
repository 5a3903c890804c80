"""The site's accessibility claim: the WCAG 2.0 / JIS X 8341-3:2016 success criteria, and how an axe run
is judged against them (docs/accessibility.md)."""
