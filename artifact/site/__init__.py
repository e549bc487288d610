"""The bilingual MkDocs site's build-time helpers: they read figures/ and never compute numbers."""
