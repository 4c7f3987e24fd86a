"""The email digest and the Teams channel post (engine-independent; no MkDocs import)."""
